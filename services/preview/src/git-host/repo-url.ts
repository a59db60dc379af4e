import { GitHostError, type GitHostProvider, type GitRepo } from './git-host.client';

/**
 * The repository a clone URL names, for the host's API. Only http(s) URLs: an SSH or local
 * source has no API base to post to, so the caller is told to use the https URL.
 *   https://github.com/acme/shop(.git)            → acme/shop
 *   https://gitlab.example.com/acme/team/shop     → path acme/team/shop (nested groups)
 *   http://127.0.0.1:3300/acme/shop.git (Gitea)   → acme/shop, webBase with the port
 * Gitea served under a sub-path (ROOT_URL https://host/git/) keeps that path in webBase; GitLab under
 * a relative root cannot be told from nested groups: give apiBaseUrl to the factory instead.
 */
export const parseRepoUrl = (cloneUrl: string, provider: GitHostProvider): GitRepo => {
  const refuse = (why: string) =>
    new GitHostError(`Cannot post previews to "${redactUserInfo(cloneUrl)}": ${why}`, provider);
  let url: URL;
  try {
    url = new URL(cloneUrl.trim());
  } catch {
    throw refuse('it is not a URL; use the repository\'s https:// clone URL');
  }
  if (url.protocol !== 'https:' && url.protocol !== 'http:') {
    throw refuse(`${url.protocol.replace(/:$/, '')} URLs have no web API; use the repository's https:// clone URL`);
  }
  if (url.search || url.hash) throw refuse('a clone URL has no query or fragment');
  const decoded = url.pathname
    .replace(/\/+$/, '')
    .replace(/\.git$/, '')
    .split('/')
    .filter((s) => s !== '')
    .map(decodeSegment);
  if (decoded.length < 2) throw refuse('expected https://host/owner/repository');
  if (decoded.some((s) => s === undefined || s === '.' || s === '..' || s.includes('/'))) {
    throw refuse('the path has a "." or ".." segment, an encoded "/" or a broken %-escape');
  }
  const segments = decoded as string[];
  const origin = url.origin;
  switch (provider) {
    case 'github':
      if (segments.length !== 2) throw refuse('a GitHub repository URL is https://host/owner/repository');
      return { webBase: origin, owner: segments[0], name: segments[1], path: segments.join('/') };
    case 'gitlab':
      return { webBase: origin, owner: segments.slice(0, -1).join('/'), name: segments[segments.length - 1], path: segments.join('/') };
    case 'gitea': {
      const [owner, name] = segments.slice(-2);
      const subPath = segments.slice(0, -2).map(encodeURIComponent).join('/');
      return { webBase: subPath ? `${origin}/${subPath}` : origin, owner, name, path: `${owner}/${name}` };
    }
    default:
      return assertNever(provider);
  }
};

const decodeSegment = (segment: string): string | undefined => {
  try {
    return decodeURIComponent(segment);
  } catch {
    return undefined;
  }
};

/** GitLab addresses a project by its URL-encoded full path: acme%2Fteam%2Fshop. */
export const gitlabProjectId = (repo: GitRepo): string => encodeURIComponent(repo.path);

export const redactUserInfo = (url: string): string => url.replace(/^([a-z][a-z0-9+.-]*:\/\/)[^/@]*@/i, '$1***@');

const assertNever = (value: never): never => {
  throw new Error(`Unknown git host provider ${String(value)}`);
};
