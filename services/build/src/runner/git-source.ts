import { createHash } from 'node:crypto';
import { BuildError } from './build-error';

/** Credentials in clear, opened from the sealed secret only for the length of one fetch. */
export type GitCredentialsInClear = { kind: 'token'; token: string } | { kind: 'deploy-key'; privateKey: string };

export type GitTransport = 'http' | 'ssh' | 'git' | 'local';

const SCP_LIKE = /^(?:[A-Za-z0-9._~-]+@)?[A-Za-z0-9.-]+:(?!\/\/)/;

/**
 * Which transport a source URL uses; anything else (a `transport::address` helper such as
 * ext::, an option-looking string) is refused, since git would run it.
 */
export const transportOf = (url: string): GitTransport => {
  if (url.startsWith('-') || /[\0\r\n]/.test(url) || url.includes('::')) {
    throw new BuildError(`Unsupported git URL "${redactUrl(url)}"`);
  }
  if (/^https?:\/\//i.test(url)) return 'http';
  if (/^(ssh|git\+ssh|ssh\+git):\/\//i.test(url)) return 'ssh';
  if (/^git:\/\//i.test(url)) return 'git';
  if (/^file:\/\//i.test(url) || url.startsWith('/')) return 'local';
  if (SCP_LIKE.test(url)) return 'ssh';
  throw new BuildError(`Unsupported git URL "${redactUrl(url)}": use https://, ssh://, user@host:path, file:// or an absolute path`);
};

/**
 * A ref is a branch, a tag or a full commit sha. It becomes part of a refspec, so what git would
 * read as syntax (':', '^', '~', globs, a leading '-', '..') is refused up front.
 */
export const validateRef = (ref: string): string => {
  const ok =
    ref.length > 0 &&
    ref.length <= 255 &&
    !ref.startsWith('-') &&
    !ref.startsWith('/') &&
    !ref.endsWith('/') &&
    !ref.endsWith('.lock') &&
    !ref.includes('..') &&
    !ref.includes('@{') &&
    !/[\s\x00-\x1f\x7f:^~?*[\\]/.test(ref);
  if (!ok) throw new BuildError(`Invalid git ref "${ref}": expected a branch, a tag or a full commit sha`);
  return ref;
};

export const isFullCommitSha = (ref: string): boolean => /^[0-9a-f]{40}$|^[0-9a-f]{64}$/.test(ref);

/** https://user:secret@host/x → https://***@host/x */
export const redactUrl = (url: string): string => url.replace(/^([a-z][a-z0-9+.-]*:\/\/)[^/@]*@/i, '$1***@');

/** Removes every secret, and the user info of any URL, from text that may be logged or shown. */
export const redact = (text: string, secrets: string[]): string => {
  let out = text.replace(/([a-z][a-z0-9+.-]*:\/\/)[^\s/@]*@/gi, '$1***@');
  for (const secret of secrets) if (secret.length >= 4) out = out.split(secret).join('***');
  return out;
};

/**
 * The directory a local source names (a file:// URL or an absolute path), as git reads it:
 * percent-escapes decoded, any host of a file:// URL ignored. Undefined for other transports.
 */
export const localPathOf = (url: string): string | undefined => {
  if (url.startsWith('/')) return url;
  const fileUrl = /^file:\/\/[^/]*(\/.*)?$/i.exec(url);
  if (!fileUrl) return undefined;
  const path = fileUrl[1] ?? '/';
  try {
    return decodeURIComponent(path);
  } catch {
    return path;
  }
};

/** Each project's fetched repositories live apart: the scope is its name, one path segment. */
export const validateCacheScope = (scope: string): string => {
  if (!/^[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?$/.test(scope)) throw new BuildError(`Invalid git cache scope "${scope}": expected a project name`);
  return scope;
};

/** One cached repository per source URL (credentials in the URL do not make a new cache). */
export const cacheKeyOf = (url: string): string =>
  createHash('sha256')
    .update(url.trim().replace(/^([a-z][a-z0-9+.-]*:\/\/)[^/@]*@/i, '$1').replace(/\/+$/, '').replace(/\.git$/, ''))
    .digest('hex')
    .slice(0, 24);

/** Where a fetched ref is kept in the cache, so the next fetch tells the server what it already has. */
export const cachedRefName = (ref: string): string => `refs/slipway/${createHash('sha256').update(ref).digest('hex').slice(0, 24)}`;

/**
 * The token travels as an HTTP header scoped to the source's origin (http.<origin>/.extraHeader),
 * passed through GIT_CONFIG_* variables: never in the URL, the argument list (visible in ps),
 * the cache repository's config or a log line. `x-access-token:<token>` as basic auth is what
 * GitHub, GitLab and Gitea/Forgejo accept for personal and app tokens.
 */
export const tokenGitConfig = (url: string, token: string): { env: Record<string, string>; secrets: string[] } => {
  const origin = /^(https?:\/\/[^/]+)/i.exec(url)?.[1];
  // Plain http would show the token to the network; only a loopback address is spared that rule.
  const loopback = /^http:\/\/([^@/]*@)?(127\.\d+\.\d+\.\d+|localhost|\[::1\])(:\d+)?$/i.test(origin ?? '');
  if (!origin || (!/^https:/i.test(origin) && !loopback)) throw new BuildError('A git token needs an https:// repository URL');
  const basic = Buffer.from(`x-access-token:${token}`).toString('base64');
  const originWithoutUserInfo = origin.replace(/\/\/[^@/]*@/, '//');
  return {
    env: {
      GIT_CONFIG_COUNT: '1',
      GIT_CONFIG_KEY_0: `http.${originWithoutUserInfo}/.extraHeader`,
      GIT_CONFIG_VALUE_0: `Authorization: Basic ${basic}`,
    },
    secrets: [token, basic],
  };
};

/** ssh with exactly this key, never a prompt; a host's key is learnt on first use (see the report). */
export const deployKeySshCommand = (keyFile: string, knownHostsFile: string): string =>
  [
    'ssh',
    `-i '${keyFile}'`,
    '-o IdentitiesOnly=yes',
    '-o BatchMode=yes',
    '-o StrictHostKeyChecking=accept-new',
    `-o UserKnownHostsFile='${knownHostsFile}'`,
  ].join(' ');

export type FetchFailure = 'ref-not-found' | 'access-denied' | 'not-a-repository' | 'unreachable' | 'other';

/** What a failed `git fetch` means, from its stderr. */
export const classifyFetchFailure = (stderr: string): FetchFailure => {
  if (/couldn't find remote ref|not our ref|unadvertised object|no such remote ref|not a valid object name|invalid refspec/i.test(stderr)) {
    return 'ref-not-found';
  }
  if (/authentication failed|could not read username|permission denied|access denied|terminal prompts disabled|403|401|repository not found/i.test(stderr)) {
    return 'access-denied';
  }
  if (/does not appear to be a git repository|not a git repository|no such file or directory/i.test(stderr)) {
    return 'not-a-repository';
  }
  if (/could not resolve host|connection refused|connection timed out|network is unreachable|failed to connect/i.test(stderr)) {
    return 'unreachable';
  }
  return 'other';
};
