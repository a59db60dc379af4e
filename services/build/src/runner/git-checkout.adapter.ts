import { existsSync } from 'node:fs';
import { chmod, mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { simpleGit, type SimpleGit } from 'simple-git';
import { BuildError } from './build-error';
import {
  cacheKeyOf,
  cachedRefName,
  classifyFetchFailure,
  deployKeySshCommand,
  redact,
  redactUrl,
  tokenGitConfig,
  transportOf,
  validateCacheScope,
  validateRef,
  type GitCredentialsInClear,
} from './git-source';
import { refuseProtectedLocalSource } from './local-git-source.adapter';

export interface CheckoutInput {
  url: string;
  ref: string;
  credentials?: GitCredentialsInClear;
  /** One bare repository per source URL lives here, under <cacheScope>/. */
  cacheDir: string;
  /** The project's name: one project's build never fetches from, or into, another's cache. */
  cacheScope: string;
  /** Slipway's own data (every project's caches, the platform key): no local source may be inside. */
  protectedDirs: readonly string[];
  /** Receives the files of the commit (must exist and be empty). */
  targetDir: string;
  /** Where ssh remembers the hosts it has met. */
  knownHostsFile: string;
  signal: AbortSignal;
  log: { system(message: string): void; stderr(message: string): void };
}

export interface CheckedOutCommit {
  commitSha: string;
  committedAt: Date;
}

/** The variables this module sets for git; simple-git refuses any other GIT_* one. */
const GIT_VARIABLES = ['GIT_TERMINAL_PROMPT', 'GIT_SSH_COMMAND', 'GIT_CONFIG_COUNT', 'GIT_CONFIG_KEY_0', 'GIT_CONFIG_VALUE_0', 'GIT_INDEX_FILE'];

/** Only what git needs from the service's environment (never an ambient GIT_DIR or an EDITOR). */
const baseEnvironment = (): Record<string, string> => {
  const env: Record<string, string> = { GIT_TERMINAL_PROMPT: '0' };
  for (const key of ['PATH', 'HOME', 'LANG', 'LC_ALL', 'TMPDIR', 'SSL_CERT_FILE', 'SSL_CERT_DIR', 'http_proxy', 'https_proxy', 'no_proxy', 'HTTP_PROXY', 'HTTPS_PROXY', 'NO_PROXY']) {
    const value = process.env[key];
    if (value !== undefined) env[key] = value;
  }
  return env;
};

/**
 * simple-git refuses what could run commands or redirect git unless told: here the ssh command
 * (the deploy key), GIT_CONFIG_* (the token header) and, for the export only, --work-tree; all
 * of them are values this module builds, never user input.
 */
const git = (baseDir: string, env: Record<string, string>, signal: AbortSignal, options: { workTree?: boolean } = {}): SimpleGit =>
  simpleGit({
    baseDir,
    abort: signal,
    allowEnvironment: GIT_VARIABLES,
    unsafe: { allowUnsafeSshCommand: true, allowUnsafeConfigEnvCount: true, allowUnsafeConfigPaths: options.workTree === true },
  }).env(env);

/** Fetches and exports run one at a time per cached repository (git's own locks would fail the second). */
const repositoryLocks = new Map<string, Promise<unknown>>();
const withRepositoryLock = async <T>(repository: string, work: () => Promise<T>): Promise<T> => {
  const previous = repositoryLocks.get(repository) ?? Promise.resolve();
  const current = previous.catch(() => undefined).then(work);
  repositoryLocks.set(repository, current);
  try {
    return await current;
  } finally {
    if (repositoryLocks.get(repository) === current) repositoryLocks.delete(repository);
  }
};

const errorText = (err: unknown): string => (err instanceof Error ? err.message : String(err));

/** Credentials as git environment, and the clean-up that removes any key file written for them. */
const credentialEnvironment = async (
  input: CheckoutInput,
): Promise<{ env: Record<string, string>; secrets: string[]; cleanUp: () => Promise<void> }> => {
  const credentials = input.credentials;
  if (!credentials) return { env: {}, secrets: [], cleanUp: async () => undefined };
  const transport = transportOf(input.url);
  if (credentials.kind === 'token') {
    const { env, secrets } = tokenGitConfig(input.url, credentials.token);
    return { env, secrets, cleanUp: async () => undefined };
  }
  if (transport !== 'ssh') throw new BuildError('A deploy key needs an ssh repository URL (ssh://… or git@host:owner/repo.git)');
  const keyDir = await mkdtemp(join(tmpdir(), 'slipway-deploy-key-'));
  const keyFile = join(keyDir, 'id');
  // OpenSSH refuses a key file readable by others, and one without its final newline.
  const key = credentials.privateKey.endsWith('\n') ? credentials.privateKey : `${credentials.privateKey}\n`;
  await writeFile(keyFile, key, { mode: 0o600 });
  await chmod(keyFile, 0o600);
  await mkdir(join(input.knownHostsFile, '..'), { recursive: true });
  return {
    env: { GIT_SSH_COMMAND: deployKeySshCommand(keyFile, input.knownHostsFile) },
    secrets: [credentials.privateKey.trim()],
    cleanUp: () => rm(keyDir, { recursive: true, force: true }),
  };
};

/** An unexplained fetch failure: the cached repository may be damaged (a crash mid-fetch leaves locks). */
class CacheSuspect extends Error {}

const fetchIntoCache = async (repository: string, input: CheckoutInput, env: Record<string, string>, secrets: string[]): Promise<string> => {
  if (!existsSync(join(repository, 'HEAD'))) {
    await mkdir(repository, { recursive: true });
    await git(repository, env, input.signal).raw(['init', '--bare', '--quiet']);
  }
  const cachedRef = cachedRefName(input.ref);
  const repo = git(repository, env, input.signal);
  try {
    // Shallow, one ref, no tags. The ref kept from the last fetch of this ref tells the server
    // which commit (and so which trees and blobs) the cache already has: a rebuild fetches only
    // what changed.
    await repo.raw(['fetch', '--depth', '1', '--no-tags', '--quiet', '--', input.url, `+${input.ref}:${cachedRef}`]);
  } catch (err) {
    if (input.signal.aborted) throw err;
    const stderr = redact(errorText(err), secrets);
    const where = redactUrl(input.url);
    const failure = classifyFetchFailure(stderr);
    if (failure !== 'other') input.log.stderr(stderr);
    switch (failure) {
      case 'ref-not-found':
        throw new BuildError(`Git ref "${input.ref}" not found in ${where}`);
      case 'access-denied':
        throw new BuildError(`Could not read ${where}: access denied (check the URL and the repository's credentials)`);
      case 'not-a-repository':
        throw new BuildError(`Could not read ${where}: no git repository there`);
      case 'unreachable':
        throw new BuildError(`Could not reach ${where}`);
      default:
        throw new CacheSuspect(stderr);
    }
  }
  return (await repo.raw(['rev-parse', '--verify', '--quiet', `${cachedRef}^{commit}`])).trim();
};

/** Writes the commit's files into targetDir through a throw-away index (the cache stays bare). */
const exportCommit = async (repository: string, commitSha: string, input: CheckoutInput, env: Record<string, string>): Promise<Date> => {
  const indexDir = await mkdtemp(join(tmpdir(), 'slipway-index-'));
  try {
    const withIndex = git(repository, { ...env, GIT_INDEX_FILE: join(indexDir, 'index') }, input.signal, { workTree: true });
    await withIndex.raw(['read-tree', commitSha]);
    await withIndex.raw([`--work-tree=${input.targetDir}`, 'checkout-index', '--all', '--force']);
    const seconds = (await withIndex.raw(['show', '--no-patch', '--format=%ct', commitSha])).trim();
    return new Date(Number(seconds) * 1000);
  } finally {
    await rm(indexDir, { recursive: true, force: true });
  }
};

/**
 * Shallow-fetches `ref` into the cached bare repository of `url` and exports that exact commit
 * into targetDir. Submodules and LFS objects are not fetched.
 */
export const checkoutCommit = async (input: CheckoutInput): Promise<CheckedOutCommit> => {
  validateRef(input.ref);
  transportOf(input.url);
  await refuseProtectedLocalSource(input.url, input.protectedDirs);
  const repository = join(input.cacheDir, validateCacheScope(input.cacheScope), `${cacheKeyOf(input.url)}.git`);
  const credentials = await credentialEnvironment(input);
  const env = { ...baseEnvironment(), ...credentials.env };
  try {
    return await withRepositoryLock(repository, async () => {
      const started = Date.now();
      const cached = existsSync(join(repository, 'HEAD'));
      input.log.system(`Fetching ${input.ref} from ${redactUrl(input.url)}${cached ? ' (cached repository)' : ''}`);
      let commitSha: string;
      try {
        commitSha = await fetchIntoCache(repository, input, env, credentials.secrets);
      } catch (err) {
        if (!(err instanceof CacheSuspect)) throw err;
        input.log.system(`git fetch failed (${err.message.trim().split('\n').pop()}); retrying with a fresh cache`);
        await rm(repository, { recursive: true, force: true });
        try {
          commitSha = await fetchIntoCache(repository, input, env, credentials.secrets);
        } catch (retryErr) {
          if (!(retryErr instanceof CacheSuspect)) throw retryErr;
          input.log.stderr(retryErr.message);
          throw new BuildError(`git fetch failed: ${retryErr.message.trim().split('\n').pop()}`);
        }
      }
      const committedAt = await exportCommit(repository, commitSha, input, env);
      input.log.system(`Checked out ${commitSha} in ${((Date.now() - started) / 1000).toFixed(1)} s`);
      return { commitSha, committedAt };
    });
  } catch (err) {
    if (err instanceof BuildError || input.signal.aborted) throw err;
    throw new BuildError(`git failed: ${redact(errorText(err), credentials.secrets).trim()}`);
  } finally {
    await credentials.cleanUp();
  }
};
