/**
 * Uploaded source archives: the gateway stores each under <data dir>/archives/<archiveId>, the
 * build service unpacks it from there (one machine, or a shared volume on several).
 */
export const archivesDirectory = (dataDir: string): string => `${dataDir.replace(/\/+$/, '')}/archives`;

/** tar.gz and zip only, told apart by their first bytes (gzip 1f 8b, zip "PK\x03\x04"). */
export const archiveFormat = (head: Uint8Array): 'tar.gz' | 'zip' | undefined => {
  if (head[0] === 0x1f && head[1] === 0x8b) return 'tar.gz';
  if (head[0] === 0x50 && head[1] === 0x4b && head[2] === 0x03 && head[3] === 0x04) return 'zip';
  return undefined;
};

/** 200 MB: sources, not build outputs or data. */
export const MAX_ARCHIVE_BYTES = 200 * 1024 * 1024;
