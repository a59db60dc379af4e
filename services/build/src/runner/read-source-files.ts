import { mkdir, rm } from 'node:fs/promises';
import { join } from 'node:path';
import type { ServiceSource } from '@slipway/proto';
import { createBuildDirectory, slipwayDataDirectories } from './build-directories';
import type { BuildConfig } from './build-job';
import { checkoutCommit } from './git-checkout.adapter';
import { openCredentials } from './git-source-build';
import { readSourceFile } from './source-path.adapter';

type GitSource = Extract<ServiceSource, { kind: 'git' }>;

/** A Compose file and its env files are small; a larger file is refused, not read. */
export const MAX_READ_FILE = 512 * 1024;

export interface ReadSourceFilesInput {
  source: GitSource;
  /** The project's name: its own git cache, as its builds use. */
  cacheScope: string;
  paths: string[];
  signal: AbortSignal;
}

/**
 * Checks the ref out (through the project's git cache, as a build does) and reads the files named:
 * each inside the repository (a link out of it is refused), null when the commit has none.
 */
export const readSourceFiles = async (config: BuildConfig, input: ReadSourceFilesInput): Promise<{ commit: string; files: Record<string, string | null> }> => {
  const workDir = await createBuildDirectory(config.dataDir, `read-${input.cacheScope}`, 3_600_000);
  try {
    const targetDir = join(workDir, 'source');
    await mkdir(targetDir);
    const credentials = openCredentials(input.source.credentials);
    const { commitSha } = await checkoutCommit({
      url: input.source.url,
      ref: input.source.ref,
      ...(credentials ? { credentials } : {}),
      cacheDir: join(config.dataDir, 'git'),
      cacheScope: input.cacheScope,
      protectedDirs: slipwayDataDirectories(config),
      targetDir,
      knownHostsFile: join(config.dataDir, 'ssh', 'known_hosts'),
      signal: input.signal,
      log: { system: () => undefined, stderr: () => undefined },
    });
    const files: Record<string, string | null> = {};
    for (const path of input.paths) {
      const text = readSourceFile(targetDir, path, 'The file');
      if (text !== undefined && Buffer.byteLength(text) > MAX_READ_FILE) throw new Error(`The file "${path}" is larger than ${MAX_READ_FILE / 1024} KiB`);
      files[path] = text ?? null;
    }
    return { commit: commitSha, files };
  } finally {
    await rm(workDir, { recursive: true, force: true });
  }
};
