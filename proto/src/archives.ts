import { z } from 'zod';
import { id, timestamp } from './events/common';

/**
 * Uploaded source archives: the gateway stores each under <data dir>/archives/<archiveId>, the
 * build service unpacks it from there (one machine, or a shared volume on several). Beside each,
 * <archiveId>.json records which project it was uploaded for: only that project's services may use
 * it, and an upload no service uses is deleted after an hour.
 */
export const archivesDirectory = (dataDir: string): string => `${dataDir.replace(/\/+$/, '')}/archives`;

/** The archive's record beside it (the archive id is an `id`: no dot, no slash). */
export const archiveRecordPath = (archivesDir: string, archiveId: string): string => `${archivesDir}/${archiveId}.json`;

export const archiveRecord = z.object({
  archiveId: id,
  projectId: id,
  /** The user who uploaded it (by session or API token). */
  uploadedBy: id,
  uploadedAt: timestamp,
  bytes: z.number().int().nonnegative(),
  format: z.enum(['tar.gz', 'zip']),
});
export type ArchiveRecord = z.infer<typeof archiveRecord>;

/** tar.gz and zip only, told apart by their first bytes (gzip 1f 8b, zip "PK\x03\x04"). */
export const archiveFormat = (head: Uint8Array): 'tar.gz' | 'zip' | undefined => {
  if (head[0] === 0x1f && head[1] === 0x8b) return 'tar.gz';
  if (head[0] === 0x50 && head[1] === 0x4b && head[2] === 0x03 && head[3] === 0x04) return 'zip';
  return undefined;
};

/** 200 MB: sources, not build outputs or data. */
export const MAX_ARCHIVE_BYTES = 200 * 1024 * 1024;
