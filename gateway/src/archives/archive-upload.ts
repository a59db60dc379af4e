import { createWriteStream } from 'node:fs';
import { mkdir, rename, rm } from 'node:fs/promises';
import { join } from 'node:path';
import type { Express, Request, Response } from 'express';
import { ulid } from 'ulid';
import { archiveFormat, archivesDirectory, MAX_ARCHIVE_BYTES } from '@slipway/proto';

const refuse = (res: Response, status: number, message: string) => res.status(status).json({ error: message });

/**
 * POST /archives with a tar.gz or zip as the body: streamed to disk (never held in memory), refused
 * past 200 MB (413) or when it is neither format (415); answers { archiveId } to use as a service's
 * source (`source: { archive: { id } }`).
 */
export const mountArchiveUpload = (app: Express, dataDir: string) => {
  const dir = archivesDirectory(dataDir);
  app.post('/archives', async (req: Request, res: Response) => {
    await mkdir(dir, { recursive: true });
    const archiveId = `a_${ulid().toLowerCase()}`;
    const partial = join(dir, `.${archiveId}.part`);
    const out = createWriteStream(partial);
    let bytes = 0;
    let head: Buffer | undefined;
    let failed = false;
    const fail = async (status: number, message: string) => {
      if (failed) return;
      failed = true;
      req.unpipe(out);
      out.destroy();
      req.resume();
      await rm(partial, { force: true });
      refuse(res, status, message);
    };
    req.on('data', (chunk: Buffer) => {
      head ??= chunk;
      bytes += chunk.length;
      if (bytes > MAX_ARCHIVE_BYTES) void fail(413, `The archive is larger than ${MAX_ARCHIVE_BYTES / 1024 / 1024} MB`);
    });
    req.pipe(out);
    out.on('finish', async () => {
      if (failed) return;
      const format = head && archiveFormat(head);
      if (!format) return fail(415, 'The body is neither a tar.gz nor a zip archive');
      await rename(partial, join(dir, archiveId));
      res.status(201).json({ archiveId, format, bytes });
    });
    out.on('error', (err) => void fail(500, `Could not store the archive: ${err.message}`));
  });
};
