import { mkdir, mkdtemp, readdir, rm, stat } from 'node:fs/promises';
import { join } from 'node:path';
import type { BuildConfig } from './build-job';

/**
 * Slipway's own data, where no source may point: the whole of $SLIPWAY_DATA_DIR (every project's
 * caches and builds, the platform key), and the runner's directories wherever they were put.
 */
export const slipwayDataDirectories = (config: Pick<BuildConfig, 'dataDir' | 'archivesDir'>, env: NodeJS.ProcessEnv = process.env): string[] => [
  env.SLIPWAY_DATA_DIR || '/var/lib/slipway',
  config.dataDir,
  config.archivesDir,
];

/**
 * Build directories live under <dataDir>/contexts, one per build, removed when the build ends.
 * A process that died mid-build leaves its directory: the next build sweeps those older than
 * `staleAfterMs` (longer than any build may run, so a running build's directory is never taken).
 */
export const createBuildDirectory = async (dataDir: string, buildId: string, staleAfterMs: number): Promise<string> => {
  const contexts = join(dataDir, 'contexts');
  await mkdir(contexts, { recursive: true });
  await sweepStaleBuildDirectories(contexts, staleAfterMs);
  return mkdtemp(join(contexts, `${buildId}-`));
};

export const sweepStaleBuildDirectories = async (contexts: string, staleAfterMs: number, now = Date.now()): Promise<string[]> => {
  const swept: string[] = [];
  for (const name of await readdir(contexts)) {
    const path = join(contexts, name);
    try {
      if (now - (await stat(path)).mtimeMs > staleAfterMs) {
        await rm(path, { recursive: true, force: true });
        swept.push(name);
      }
    } catch {
      // gone meanwhile (another build swept it)
    }
  }
  return swept;
};
