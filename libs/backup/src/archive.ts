import { execFile } from 'node:child_process';
import { readdirSync, rmSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { promisify } from 'node:util';
import type { NatsConnection } from '@nats-io/transport-node';
import type { DockerEngine } from '@slipway/docker-engine';
import type { StreamDump } from './event-streams.backup';
import type { SealedWithPassphrase } from './passphrase-seal';
import type { ImageEntry } from './registry-images.backup';
import type { VolumeEntry } from './volumes.backup';

const run = promisify(execFile);

/** What a backup and a restore reach: the bus (as operator), Docker, the registry, the platform key. */
export interface InstanceAccess {
  nc: NatsConnection;
  docker: DockerEngine;
  /** Slipway's registry (host:port), with a sign-in that may pull (backup) or push (restore). */
  registry: string;
  registryAuth: { username?: string; password?: string };
  /** Where the platform key is: `$SLIPWAY_DATA_DIR/secrets/platform.key`. */
  keyFile: string;
  passphrase: string;
  progress: (line: string) => void;
}

export const ARCHIVE_FORMAT = 1;
export const MANIFEST_FILE = 'backup.json';

/**
 * `backup.json` at the root of an archive, beside `streams/`, `registry/` and `volumes/`: what
 * the archive holds, and the platform key sealed with the operator's passphrase.
 */
export interface BackupManifest {
  format: number;
  createdAt: string;
  streams: StreamDump[];
  images: ImageEntry[];
  /** Images the services ran from other registries: not in the archive, pulled again from there. */
  externalImages: string[];
  volumes: VolumeEntry[];
  /** Absent when the instance had no key yet (it never stored a secret). */
  platformKey?: SealedWithPassphrase;
}

/** `slipway-backup-2026-11-30T03-00-00-000Z.tar`: sorts by time, and says what it is. */
export const archiveName = (at: Date): string => `slipway-backup-${at.toISOString().replace(/[:.]/g, '-')}.tar`;

/** One uncompressed tar (the images are compressed already); the parts are written to `staging` first. */
export const pack = async (staging: string, file: string): Promise<void> => {
  await run('tar', ['-C', staging, '-cf', file, '.']);
};

export const unpack = async (file: string, into: string): Promise<void> => {
  await run('tar', ['-C', into, '-xf', file]).catch((err: Error) => {
    throw new Error(`${file} is not a Slipway backup archive that tar can read (${err.message.split('\n')[0]})`);
  });
};

/** What `archiveName` writes, and nothing else: retention never deletes a file Slipway did not name. */
const ARCHIVE = /^slipway-backup-\d{4}-\d{2}-\d{2}T\d{2}-\d{2}-\d{2}-\d{3}Z\.tar$/;

/** The archives beyond the newest `keep` among `names`, oldest first (names sort by time). */
export const archivesBeyond = (names: readonly string[], keep: number): string[] => {
  const archives = names.filter((f) => ARCHIVE.test(f)).sort();
  return archives.slice(0, Math.max(0, archives.length - keep));
};

/** Deletes the oldest archives in `dir` beyond the newest `keep`; returns the names deleted. */
export const pruneArchives = (dir: string, keep: number): string[] => {
  const gone = archivesBeyond(readdirSync(dir), keep);
  for (const f of gone) rmSync(join(dir, f), { force: true });
  return gone;
};

/** What a write leaves when it is cut short: its staging directory (mkdtemp) and its unfinished archive. */
const LEFTOVER = /^(\.staging-[A-Za-z0-9]{6}|slipway-backup-\d{4}-\d{2}-\d{2}T\d{2}-\d{2}-\d{2}-\d{3}Z\.tar\.partial)$/;

/**
 * Deletes what backups cut short by a crash left in `dir` (a staging copy of the volumes and images
 * can be as large as the archive), once it is older than `olderThanMs`: a backup started that long
 * ago is past its deadline (an hour unless raised), while a younger one may be another process's
 * backup still being written (`npm run backup`). Returns the names deleted.
 */
export const removeLeftovers = (dir: string, olderThanMs: number, now = Date.now()): string[] => {
  const gone = readdirSync(dir).filter((f) => LEFTOVER.test(f) && now - statSync(join(dir, f)).mtimeMs > olderThanMs);
  for (const f of gone) rmSync(join(dir, f), { recursive: true, force: true });
  return gone;
};
