import { existsSync, mkdirSync, mkdtempSync, readFileSync, renameSync, rmSync, statSync, writeFileSync, chmodSync } from 'node:fs';
import { createReadStream } from 'node:fs';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import type { DockerEngine } from '@slipway/docker-engine';
import { eventStreamName } from '@slipway/proto';
import { ARCHIVE_FORMAT, archiveName, MANIFEST_FILE, pack, pruneArchives, removeLeftovers, type BackupManifest, type InstanceAccess } from './archive';
import { dumpStreams } from './event-streams.backup';
import { sealWithPassphrase } from './passphrase-seal';
import { parseImageRef, prepareImageDirs, RegistryHttp, type ImageEntry } from './registry-images.backup';
import { backupVolumes } from './volumes.backup';

/** Leftovers of a backup cut short are deleted once this old (ADR 0027 addendum). */
const LEFTOVER_AGE_MS = 12 * 3600_000;
const passedDeadline = () => new Error('it passed its deadline and was stopped');

export interface BackupOptions extends InstanceAccess {
  /** The directory the archive goes to; the newest `keep` archives there stay. */
  outDir: string;
  keep: number;
  now?: () => Date;
  /**
   * Aborted at the backup's deadline: the write stops at once (a step still hanging, a stuck mount
   * say, is left behind) and writes no archive and prunes none after it.
   */
  signal?: AbortSignal;
}

export interface BackupResult {
  file: string;
  bytes: number;
  manifest: BackupManifest;
  pruned: string[];
}

/** The projects the history knows: the ids of the project stream's `project` aggregates. */
const projectIdsIn = async (file: string): Promise<Set<string>> => {
  const ids = new Set<string>();
  if (!existsSync(file)) return ids;
  for await (const text of createInterface({ input: createReadStream(file), crlfDelay: Infinity })) {
    const subject = text && (JSON.parse(text) as { subject: string }).subject;
    const match = subject ? /^platform\.project\.events\.project\.(.+)$/.exec(subject) : null;
    if (match) ids.add(match[1]);
  }
  return ids;
};

interface TaskSeen {
  Spec?: { ContainerSpec?: { Image?: string; Labels?: Record<string, string> } };
}

/** The images the projects' running tasks use, split into ours (copied) and other registries' (named only). */
const imagesInUse = async (docker: DockerEngine, projectIds: ReadonlySet<string>, registry: string) => {
  const tasks = await docker.listTasks<TaskSeen>({ 'desired-state': ['running'] });
  const refs = new Set<string>();
  for (const t of tasks) {
    const spec = t.Spec?.ContainerSpec;
    if (spec?.Image && projectIds.has(spec.Labels?.['slipway.project'] ?? '') && !spec.Labels?.['slipway.preview']) refs.add(spec.Image);
  }
  const ours = [...refs].filter((r) => parseImageRef(r).registry === registry).sort();
  return { ours, external: [...refs].filter((r) => !ours.includes(r)).sort() };
};

/**
 * One archive of the instance: every event stream (and where each service's consumer was), the
 * platform key sealed with the passphrase, the files of the projects' volumes, and the images of
 * Slipway's registry that the services run. Written beside its final name and renamed, so an
 * archive under its name is whole.
 */
export const createBackup = async (o: BackupOptions): Promise<BackupResult> => {
  const at = (o.now ?? (() => new Date()))();
  const stopped = new Promise<never>((_, reject) => {
    const stop = () => reject(passedDeadline());
    if (o.signal?.aborted) stop();
    else o.signal?.addEventListener('abort', stop, { once: true });
  });
  stopped.catch(() => undefined);
  /** One step of the write, given up when the signal says so. */
  const step = <T>(work: Promise<T>): Promise<T> => (o.signal ? Promise.race([work, stopped]) : work);
  mkdirSync(o.outDir, { recursive: true, mode: 0o700 });
  const leftovers = removeLeftovers(o.outDir, LEFTOVER_AGE_MS, at.getTime());
  if (leftovers.length) o.progress(`removed what earlier backups cut short left: ${leftovers.join(', ')}`);
  const staging = mkdtempSync(join(o.outDir, '.staging-'));
  try {
    for (const sub of ['streams', 'volumes']) mkdirSync(join(staging, sub));
    prepareImageDirs(join(staging, 'registry'));
    o.progress('events: reading every stream');
    const streams = await step(dumpStreams(o.nc, join(staging, 'streams'), o.progress));
    const projectIds = await step(projectIdsIn(join(staging, 'streams', `${eventStreamName('project')}.ndjson`)));
    const { ours, external } = await step(imagesInUse(o.docker, projectIds, o.registry));
    o.progress(`images: ${ours.length} in use from ${o.registry}${external.length ? `, ${external.length} from other registries (not copied)` : ''}`);
    const http = new RegistryHttp(o.registry, o.registryAuth);
    const images: ImageEntry[] = [];
    for (const ref of ours) {
      images.push(await step(http.save(ref, join(staging, 'registry'))));
      o.progress(`image ${ref}: ${images[images.length - 1].blobs.length} blobs`);
    }
    const volumes = await step(backupVolumes(o.docker, projectIds, join(staging, 'volumes'), o.progress));
    const manifest: BackupManifest = {
      format: ARCHIVE_FORMAT,
      createdAt: at.toISOString(),
      streams,
      images,
      externalImages: external,
      volumes,
      ...(existsSync(o.keyFile) ? { platformKey: sealWithPassphrase(readFileSync(o.keyFile), o.passphrase) } : {}),
    };
    writeFileSync(join(staging, MANIFEST_FILE), JSON.stringify(manifest, null, 1));
    const file = join(o.outDir, archiveName(at));
    try {
      await step(pack(staging, `${file}.partial`));
      // A pack that ended after the deadline: the backup is failed already, so no archive and no pruning.
      if (o.signal?.aborted) throw passedDeadline();
      chmodSync(`${file}.partial`, 0o600);
      renameSync(`${file}.partial`, file);
    } catch (err) {
      rmSync(`${file}.partial`, { force: true });
      throw err;
    }
    const pruned = pruneArchives(o.outDir, o.keep);
    return { file, bytes: statSync(file).size, manifest, pruned };
  } finally {
    rmSync(staging, { recursive: true, force: true });
  }
};
