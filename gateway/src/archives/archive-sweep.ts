import { readdir, rm, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { Logger } from '@nestjs/common';
import type { ServiceView } from '../projects/projects.projection';
import type { ReadStore } from '../read-store';

/** An upload's files: the archive, its record, and either while being written (`.part`). Nothing else here is ours to delete. */
const UPLOAD_FILE = /^\.?(a_[0-9a-z]{26})(?:\.json)?(?:\.part)?$/;

export interface UploadFile {
  name: string;
  mtimeMs: number;
}

/**
 * Uploads unused for `ttlMs`, by archive id: no service's source names it, and none of its files
 * changed for that long (a file being uploaded grows; the project service refreshes the record
 * whenever a service is given the archive as its source, before the services view can show it).
 */
export const expiredUploads = (files: UploadFile[], inUse: ReadonlySet<string>, now: number, ttlMs: number): Map<string, string[]> => {
  const uploads = new Map<string, { names: string[]; newest: number }>();
  for (const file of files) {
    const archiveId = UPLOAD_FILE.exec(file.name)?.[1];
    if (!archiveId) continue;
    const upload = uploads.get(archiveId) ?? { names: [], newest: 0 };
    upload.names.push(file.name);
    upload.newest = Math.max(upload.newest, file.mtimeMs);
    uploads.set(archiveId, upload);
  }
  const expired = new Map<string, string[]>();
  for (const [archiveId, { names, newest }] of uploads) if (!inUse.has(archiveId) && now - newest > ttlMs) expired.set(archiveId, names);
  return expired;
};

/** SLIPWAY_ARCHIVE_TTL_S: how long an upload no service uses is kept (default one hour). */
export const archiveTtlMs = (env: NodeJS.ProcessEnv = process.env): number => {
  const raw = env.SLIPWAY_ARCHIVE_TTL_S?.trim();
  if (!raw) return 3_600_000;
  if (!/^\d+$/.test(raw) || Number(raw) < 1) throw new Error(`SLIPWAY_ARCHIVE_TTL_S="${raw}" is not a whole number of seconds (at least 1)`);
  return Number(raw) * 1000;
};

/** Archive ids some service's source names, from the services read model every gateway shares. */
const archivesInUse = async (readStore: ReadStore): Promise<Set<string>> => {
  const services = await (await readStore.db())
    .collection<ServiceView & { _id: string }>('services')
    .find({ 'source.kind': 'archive' }, { projection: { source: 1, deletedAt: 1 } })
    .toArray();
  // A deleted service uses nothing any more.
  return new Set(services.filter((s) => !s.deletedAt).map((s) => s.source.archiveId).filter((id): id is string => Boolean(id)));
};

const filesOf = async (dir: string): Promise<UploadFile[]> => {
  const names = await readdir(dir).catch((err: NodeJS.ErrnoException) => (err.code === 'ENOENT' ? [] : Promise.reject(err)));
  const files = await Promise.all(
    names.filter((name) => UPLOAD_FILE.test(name)).map(async (name) => ({ name, mtimeMs: (await stat(join(dir, name)).catch(() => undefined))?.mtimeMs })),
  );
  return files.filter((f): f is UploadFile => f.mtimeMs !== undefined);
};

/**
 * Deletes uploads no service has used for the TTL, every TTL/6 (at most 5 minutes, at least 1 s):
 * an unused upload goes between one hour and 70 minutes after it was last touched.
 *
 * Safe with several gateways on one archives directory: each decides from the shared read model and
 * the files' own times, and deleting twice is harmless. An upload is deleted only when two sweeps in
 * a row, one interval apart, found it expired: a services view read while a projection is being
 * rebuilt in place (emptied, then filled) or just before a new source shows in it never deletes
 * alone. A sweep that cannot read the read model deletes nothing.
 */
export const startArchiveSweep = (dir: string, readStore: ReadStore, ttlMs = archiveTtlMs()): { stop(): void } => {
  const log = new Logger('archives');
  const everyMs = Math.min(300_000, Math.max(1_000, Math.round(ttlMs / 6)));
  let previous = new Set<string>();
  let running = false;
  const sweep = async () => {
    if (running) return;
    running = true;
    try {
      const files = await filesOf(dir);
      const expired = expiredUploads(files, await archivesInUse(readStore), Date.now(), ttlMs);
      for (const [archiveId, names] of expired) {
        if (!previous.has(archiveId)) continue;
        await Promise.all(names.map((name) => rm(join(dir, name), { force: true })));
        log.log(`deleted upload ${archiveId}: no service used it for ${ttlMs / 1000} s`);
      }
      previous = new Set(expired.keys());
    } catch (err) {
      log.warn(`could not sweep unused uploads (will try again): ${(err as Error).message}`);
    } finally {
      running = false;
    }
  };
  const timer = setInterval(() => void sweep(), everyMs);
  timer.unref();
  return { stop: () => clearInterval(timer) };
};
