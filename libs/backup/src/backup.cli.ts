import { join } from 'node:path';
import { connect } from '@nats-io/transport-node';
import { DockerEngine } from '@slipway/docker-engine';
import { busCredentials } from '@slipway/messaging';
import { registryAuth } from '@slipway/secret-box';
import { createBackup } from './backup';
import { backupPassphrase } from './passphrase-seal';

/**
 * `npm run backup`: one archive of this instance in $SLIPWAY_BACKUP_DIR (default
 * $SLIPWAY_DATA_DIR/backups), the newest $SLIPWAY_BACKUP_KEEP (default 7) kept. Needs
 * SLIPWAY_BACKUP_PASSPHRASE, which seals the platform key inside the archive.
 */
const main = async () => {
  const passphrase = backupPassphrase();
  const dataDir = process.env.SLIPWAY_DATA_DIR ?? '/var/lib/slipway';
  const url = process.env.NATS_URL ?? 'nats://127.0.0.1:4222';
  const registry = process.env.REGISTRY || '127.0.0.1:5000';
  const keep = Number(process.env.SLIPWAY_BACKUP_KEEP ?? 7);
  if (!Number.isInteger(keep) || keep < 1) throw new Error('SLIPWAY_BACKUP_KEEP must be a whole number of archives, 1 or more');
  const nc = await connect({ servers: url, name: 'slipway-backup', timeout: 10_000, ...busCredentials('operator') }).catch((err: Error) => {
    throw new Error(`Cannot reach NATS at ${url} (${err.message}): start Slipway's infrastructure first (bash infra/scripts/up.sh)`);
  });
  const started = Date.now();
  try {
    const result = await createBackup({
      nc,
      docker: new DockerEngine(),
      registry,
      registryAuth: registryAuth('deploy', registry, dataDir),
      keyFile: join(dataDir, 'secrets', 'platform.key'),
      passphrase,
      outDir: process.env.SLIPWAY_BACKUP_DIR ?? join(dataDir, 'backups'),
      keep,
      progress: (line) => process.stdout.write(`    ${line}\n`),
    });
    const events = result.manifest.streams.reduce((n, s) => n + s.messages, 0);
    process.stdout.write(
      `==> backup written in ${((Date.now() - started) / 1000).toFixed(1)} s: ${result.file} (${(result.bytes / 1e6).toFixed(1)} MB: ${events} events, ` +
        `${result.manifest.images.length} images, ${result.manifest.volumes.length} volumes)\n`,
    );
    if (result.pruned.length) process.stdout.write(`==> older archives removed (keeping ${keep}): ${result.pruned.join(', ')}\n`);
    process.stdout.write(`${JSON.stringify({ file: result.file, bytes: result.bytes })}\n`);
  } finally {
    await nc.close();
  }
};

main().catch((err: Error) => {
  process.stderr.write(`ERROR: the backup failed: ${err.message}\n`);
  process.exit(1);
});
