import { readFile, stat, utimes } from 'node:fs/promises';
import { archiveRecord, archiveRecordPath, archivesDirectory } from '@slipway/proto';

/** Where the gateway keeps uploads: $SLIPWAY_DATA_DIR/archives (a shared volume on several machines). */
const archivesDir = () => archivesDirectory(process.env.SLIPWAY_DATA_DIR || '/var/lib/slipway');

/**
 * The project an uploaded archive belongs to, from the record the gateway wrote beside it; null
 * when the upload or its record is not there (never uploaded, swept, or uploaded before records).
 *
 * Reading it for a source being set also refreshes the record's time: the gateway's sweep deletes
 * an upload an hour after its record last changed unless a service uses it, and the services view
 * shows the new source only once the command is through. So an upload taken as a source just as
 * its hour ends is not swept in between.
 */
export const claimArchive = async (archiveId: string): Promise<string | null> => {
  const dir = archivesDir();
  const recordPath = archiveRecordPath(dir, archiveId);
  const text = await readFile(recordPath, 'utf8').catch(() => undefined);
  const archive = await stat(`${dir}/${archiveId}`).catch(() => undefined);
  if (text === undefined || !archive?.isFile()) return null;
  let parsed;
  try {
    parsed = archiveRecord.safeParse(JSON.parse(text));
  } catch {
    return null;
  }
  if (!parsed.success || parsed.data.archiveId !== archiveId) return null;
  const now = new Date();
  await utimes(recordPath, now, now).catch(() => undefined);
  return parsed.data.projectId;
};
