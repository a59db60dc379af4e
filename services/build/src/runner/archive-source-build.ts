import { createHash } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { readdir, rename, rmdir, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { DEFAULT_UNPACK_LIMITS, unpackArchive } from './archive-unpack.adapter';
import { BuildError } from './build-error';
import type { BuildOutcome } from './build-job';
import type { BuildRun } from './build-run';
import { buildFromDirectory, createSourceDirectory } from './git-source-build';

/** Where the gateway keeps uploaded archives: <archivesDir>/<archiveId> (tar.gz or zip). */
export const archivePath = (archivesDir: string, archiveId: string) => join(archivesDir, archiveId);

const sha256Of = (path: string) =>
  new Promise<string>((resolve, reject) => {
    const hash = createHash('sha256');
    createReadStream(path).on('data', (d) => hash.update(d)).on('end', () => resolve(hash.digest('hex'))).on('error', reject);
  });

/**
 * An uploaded archive, unpacked with bsdtar (tar.gz and zip alike; it refuses absolute paths and
 * `..`) within the instance's caps on size and file count, then built like a checkout. Its "commit" is the archive's SHA-256, so the same upload
 * builds to the same tag. A single top folder (as in GitHub's downloads) becomes the root.
 */
export const buildFromArchive = async (buildRun: BuildRun, archiveId: string): Promise<BuildOutcome> => {
  const { config, log } = buildRun;
  const file = archivePath(config.archivesDir, archiveId);
  const info = await stat(file).catch(() => undefined);
  if (!info) throw new BuildError(`Archive ${archiveId} not found: upload it again (POST /archives)`);
  const sourceDir = await createSourceDirectory(buildRun);
  log.system(`Unpacking archive ${archiveId} (${(info.size / 1024).toFixed(0)} KiB)`);
  await unpackArchive(file, sourceDir, archiveId, config.unpackLimits ?? DEFAULT_UNPACK_LIMITS, buildRun.signal);
  const entries = await readdir(sourceDir, { withFileTypes: true });
  if (entries.length === 1 && entries[0].isDirectory()) {
    const top = join(sourceDir, entries[0].name);
    for (const name of await readdir(top)) await rename(join(top, name), join(sourceDir, name));
    await rmdir(top);
  }
  return buildFromDirectory(buildRun, sourceDir, await sha256Of(file), info.mtime);
};
