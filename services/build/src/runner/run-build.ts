import Docker from 'dockerode';
import { BuildError } from './build-error';
import type { BuildConfig, BuildHooks, BuildJob, BuildOutcome } from './build-job';
import { BuildLog } from './build-log';
import { CleanUp, type BuildRun } from './build-run';
import { buildFromArchive } from './archive-source-build';
import { buildFromGit } from './git-source-build';
import { publishImageSource } from './image-source-build';

/**
 * Builds one job into an image in the local registry: git source → clone (cached, shallow, the
 * exact commit) → strategy → docker build → push; image source → resolve, copy to the registry.
 * Every log line reaches hooks.onLog as it arrives; hooks.onStarted fires once the commit and
 * strategy are known. It resolves with the pushed tag and digest, or rejects with a BuildError
 * (reason + last 50 log lines), having removed its build directory and local tags either way.
 * hooks.signal cancels; config.timeoutMs bounds the whole build.
 */
export const runBuild = async (job: BuildJob, config: BuildConfig, hooks: BuildHooks): Promise<BuildOutcome> => {
  const log = new BuildLog(hooks.onLog);
  const abort = new AbortController();
  let stopped: string | undefined;
  const stop = (reason: string) => {
    stopped ??= reason;
    abort.abort();
  };
  const onCancel = () => stop('Build cancelled');
  if (hooks.signal?.aborted) onCancel();
  hooks.signal?.addEventListener('abort', onCancel, { once: true });
  const timer = setTimeout(() => stop(`Build timed out after ${Math.round(config.timeoutMs / 1000)} s`), config.timeoutMs);
  const run: BuildRun = {
    job,
    config,
    docker: new Docker(config.dockerSocketPath ? { socketPath: config.dockerSocketPath } : undefined),
    log,
    signal: abort.signal,
    onStarted: hooks.onStarted,
    cleanUp: new CleanUp(),
  };
  const started = Date.now();
  try {
    if (stopped) throw new BuildError(stopped);
    const outcome = await buildFrom(run);
    if (stopped) throw new BuildError(stopped); // aborted at the very end: do not report success
    log.system(`Build finished in ${((Date.now() - started) / 1000).toFixed(1)} s: ${outcome.imageRef}@${outcome.digest}`);
    return outcome;
  } catch (err) {
    const reason = stopped ?? (err instanceof BuildError ? err.reason : `Build failed: ${(err as Error).message ?? String(err)}`);
    log.system(reason);
    throw new BuildError(reason, log.lastLines(), { cause: err });
  } finally {
    clearTimeout(timer);
    hooks.signal?.removeEventListener('abort', onCancel);
    await run.cleanUp.runAll(log);
  }
};

const buildFrom = (run: BuildRun): Promise<BuildOutcome> => {
  const { source } = run.job;
  switch (source.kind) {
    case 'git':
      return buildFromGit(run, source);
    case 'image':
      return publishImageSource(run, source.ref);
    case 'archive':
      return buildFromArchive(run, source.archiveId);
    default:
      return assertNever(source);
  }
};

const assertNever = (value: never): never => {
  throw new BuildError(`Unknown source kind: ${JSON.stringify(value)}`);
};
