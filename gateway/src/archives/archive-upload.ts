import { createWriteStream } from 'node:fs';
import { mkdir, rename, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { Express, Request, Response } from 'express';
import { GraphQLError } from 'graphql';
import { ulid } from 'ulid';
import { archiveFormat, archiveRecordPath, MAX_ARCHIVE_BYTES, type ArchiveRecord } from '@slipway/proto';
import { rateLimiterFor, windowWords, type Limiter } from '../abuse/rate-limits';
import { demand, type Principal } from '../auth/principal';
import { readPrincipal, tokenOf } from '../auth/principal.reader';
import type { ProjectView } from '../projects/projects.projection';
import type { ViewCache } from '../read-models/view-cache';

const refuse = (res: Response, status: number, message: string) => res.status(status).json({ error: message });

export interface ArchiveUploadLimits {
  perUser: Limiter;
  perAddress: Limiter;
}

const defaultLimits = (): ArchiveUploadLimits => ({ perUser: rateLimiterFor('archiveUploads'), perAddress: rateLimiterFor('archiveUploadsPerAddress') });

/** One attempt against `limiter` for `key`; when refused, answers 429 with Retry-After and says so. */
const refusedByLimit = (res: Response, limiter: Limiter, key: string, what: string): boolean => {
  const { allowed, retryAfterSeconds } = limiter.consume(key);
  if (allowed) return false;
  res.set('Retry-After', String(retryAfterSeconds));
  refuse(res, 429, `Too many ${what}: at most ${limiter.limit} ${windowWords(limiter.windowMs)}. Try again in ${retryAfterSeconds} s`);
  return true;
};

/** The principal and project an upload is for, or the answer that refuses it (401, 400, 403, 404). */
const authorize = async (req: Request, res: Response, views: ViewCache): Promise<{ principal: Principal; projectId: string } | undefined> => {
  const principal = await readPrincipal(views, tokenOf(req.headers));
  if (!principal) {
    refuse(res, 401, 'Sign in first: send the session cookie or an "Authorization: Bearer <token>" header with a token that may deploy');
    return undefined;
  }
  const projectId = typeof req.query.projectId === 'string' ? req.query.projectId.trim() : '';
  if (!projectId) {
    refuse(res, 400, 'Name the project the archive is for: POST /archives?projectId=<project id>');
    return undefined;
  }
  const project = await views.fetch<ProjectView>('projects', projectId);
  try {
    demand(principal, 'deploy', { id: projectId, name: project?.name });
  } catch (err) {
    refuse(res, (err as GraphQLError).extensions?.code === 'UNAUTHENTICATED' ? 401 : 403, (err as Error).message);
    return undefined;
  }
  // Only the instance owner gets this far for a project that does not exist (anyone else is no member of it).
  if (!project) {
    refuse(res, 404, `There is no project ${projectId}: give the id of one of your projects`);
    return undefined;
  }
  return { principal, projectId };
};

/**
 * POST /archives?projectId=<id> with a tar.gz or zip as the body, for a signed-in user (session
 * cookie or bearer token) who may deploy in that project (developer or above; a token needs the
 * deploy scope). Answers { archiveId } to use as a source of that project's services only
 * (`source: { archive: { id } }`); unused, it is deleted after an hour (archive-sweep.ts).
 * - 401 without credentials, 400 without projectId, 403 without deploy rights there, 404 for no such project;
 * - 429 (Retry-After) past SLIPWAY_RATE_ARCHIVE_UPLOADS_PER_10_MINUTES (30) uploads of one user or
 *   _PER_ADDRESS_PER_10_MINUTES (60) from one address;
 * - streamed to disk (never held in memory), refused past 200 MB (413) or when it is neither format (415).
 * Beside the archive, <archiveId>.json records the project, the uploader, the time and the size.
 */
export const mountArchiveUpload = (app: Express, dir: string, views: ViewCache, limits: ArchiveUploadLimits = defaultLimits()) => {
  app.post('/archives', async (req: Request, res: Response) => {
    // Before anything is read: a flood from one address costs no lookups.
    const ip = req.ip ?? req.socket.remoteAddress ?? 'unknown';
    if (refusedByLimit(res, limits.perAddress, ip, `archive uploads from ${ip}`)) return req.resume();
    const allowed = await authorize(req, res, views).catch(() => {
      refuse(res, 503, 'Could not check your credentials just now (the read store did not answer); try again in a moment');
      return undefined;
    });
    if (!allowed) return req.resume();
    if (refusedByLimit(res, limits.perUser, allowed.principal.userId, 'archive uploads by you')) return req.resume();
    await receive(req, res, dir, allowed.projectId, allowed.principal.userId);
  });
};

const receive = async (req: Request, res: Response, dir: string, projectId: string, uploadedBy: string) => {
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
    const record: ArchiveRecord = { archiveId, projectId, uploadedBy, uploadedAt: new Date().toISOString(), bytes, format };
    try {
      // The record first, each file complete before it has its name: an archive is never there without its project.
      const recordPartial = join(dir, `.${archiveId}.json.part`);
      await writeFile(recordPartial, JSON.stringify(record));
      await rename(recordPartial, archiveRecordPath(dir, archiveId));
      await rename(partial, join(dir, archiveId));
    } catch (err) {
      await rm(archiveRecordPath(dir, archiveId), { force: true });
      return fail(500, `Could not store the archive: ${(err as Error).message}`);
    }
    res.status(201).json({ archiveId, projectId, format, bytes });
  });
  out.on('error', (err) => void fail(500, `Could not store the archive: ${err.message}`));
};
