import { randomUUID } from 'node:crypto';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';
import { JetStreamEventStore } from '@slipway/event-store';
import { PlatformRestored } from '@slipway/proto';
import { ARCHIVE_FORMAT, MANIFEST_FILE, unpack, type BackupManifest, type InstanceAccess } from './archive';
import { loadStream } from './event-streams.backup';
import { openWithPassphrase } from './passphrase-seal';
import { RegistryHttp } from './registry-images.backup';
import { restoreVolumes } from './volumes.backup';

export interface RestoreOptions extends InstanceAccess {
  file: string;
}

export interface RestoreResult {
  restoreId: string;
  events: number;
  images: number;
  blobsUploaded: number;
  volumes: number;
  backedUpAt: string;
}

/**
 * Puts the platform key where the services read it. A different key already there (a fresh
 * machine's `npm start` makes one) is kept beside it, named for the restore: the restored events
 * were sealed with the archive's key, and only that key opens them.
 */
const restoreKey = (manifest: BackupManifest, keyFile: string, passphrase: string, progress: (line: string) => void) => {
  if (!manifest.platformKey) return;
  const key = openWithPassphrase(manifest.platformKey, passphrase);
  if (existsSync(keyFile)) {
    if (readFileSync(keyFile).equals(key)) return progress('platform key: the same key is already in place');
    const aside = `${keyFile}.before-restore-${Date.now()}`;
    renameSync(keyFile, aside);
    progress(`platform key: the key that was here is kept as ${basename(aside)}`);
  }
  mkdirSync(dirname(keyFile), { recursive: true, mode: 0o700 });
  writeFileSync(keyFile, key, { mode: 0o600 });
  progress('platform key: restored');
};

/**
 * Brings an archive back onto a fresh instance (its infrastructure up, Slipway not running): the
 * events, with each service's consumer where it was; the platform key; the images; the volumes.
 * Last it records PlatformRestored, on which the deploy service runs every service again from its
 * image when Slipway starts; the gateway rebuilds its read models from the events.
 */
export const restoreBackup = async (o: RestoreOptions): Promise<RestoreResult> => {
  const staging = mkdtempSync(join(dirname(o.file), '.restore-'));
  try {
    await unpack(o.file, staging);
    if (!existsSync(join(staging, MANIFEST_FILE))) throw new Error(`${o.file} holds no ${MANIFEST_FILE}: it is not a Slipway backup archive`);
    const manifest = JSON.parse(readFileSync(join(staging, MANIFEST_FILE), 'utf8')) as BackupManifest;
    if (manifest.format !== ARCHIVE_FORMAT) throw new Error(`${o.file} is a backup of format ${manifest.format}; this Slipway reads format ${ARCHIVE_FORMAT}`);
    // The key first: a wrong passphrase stops the restore before anything is written.
    if (manifest.platformKey) openWithPassphrase(manifest.platformKey, o.passphrase);
    let events = 0;
    for (const dump of manifest.streams) events += await loadStream(o.nc, join(staging, 'streams'), dump, o.progress);
    restoreKey(manifest, o.keyFile, o.passphrase, o.progress);
    const http = new RegistryHttp(o.registry, o.registryAuth);
    let blobsUploaded = 0;
    for (const image of manifest.images) {
      blobsUploaded += await http.restore(image, join(staging, 'registry'));
      o.progress(`image ${image.ref}: back`);
    }
    await restoreVolumes(o.docker, manifest.volumes, join(staging, 'volumes'), o.progress);
    const restoreId = `r_${randomUUID().replace(/-/g, '').slice(0, 24)}`;
    const data = {
      restoreId,
      archive: basename(o.file),
      backedUpAt: manifest.createdAt,
      restoredAt: new Date().toISOString(),
      events,
      images: manifest.images.length,
      volumes: manifest.volumes.length,
    };
    const store = await JetStreamEventStore.create(o.nc);
    const id = randomUUID();
    await store.append({ context: PlatformRestored.context, aggregate: PlatformRestored.aggregate, id: restoreId }, [
      { id, type: PlatformRestored.type, version: PlatformRestored.latestVersion, aggregateId: restoreId, occurredAt: data.restoredAt, correlationId: id, causationId: id, actor: { kind: 'system', id: 'restore' }, data },
    ], 'any');
    return { restoreId, events, images: manifest.images.length, blobsUploaded, volumes: manifest.volumes.length, backedUpAt: manifest.createdAt };
  } finally {
    rmSync(staging, { recursive: true, force: true });
  }
};
