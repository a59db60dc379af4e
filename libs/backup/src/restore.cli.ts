import { join, resolve } from 'node:path';
import { existsSync } from 'node:fs';
import { connect } from '@nats-io/transport-node';
import { DockerEngine } from '@slipway/docker-engine';
import { busCredentials } from '@slipway/messaging';
import { registryAuth } from '@slipway/secret-box';
import { backupPassphrase } from './passphrase-seal';
import { restoreBackup } from './restore';

/**
 * `npm run restore <archive>`: brings a backup back onto a fresh instance whose infrastructure is
 * up and whose Slipway is not running (infra/restore.sh sees to both). SLIPWAY_BACKUP_PASSPHRASE
 * must be the one the backup was made with.
 */
const main = async () => {
  const file = process.argv[2];
  if (!file) throw new Error('Say which archive to restore: npm run restore -- /path/to/slipway-backup-….tar');
  if (!existsSync(file)) throw new Error(`There is no file ${file}`);
  const passphrase = backupPassphrase();
  const dataDir = process.env.SLIPWAY_DATA_DIR ?? '/var/lib/slipway';
  const url = process.env.NATS_URL ?? 'nats://127.0.0.1:4222';
  const registry = process.env.REGISTRY || '127.0.0.1:5000';
  const nc = await connect({ servers: url, name: 'slipway-restore', timeout: 10_000, ...busCredentials('operator') }).catch((err: Error) => {
    throw new Error(`Cannot reach NATS at ${url} (${err.message}): start Slipway's infrastructure first (bash infra/scripts/up.sh)`);
  });
  const started = Date.now();
  try {
    const r = await restoreBackup({
      file: resolve(file),
      nc,
      docker: new DockerEngine(),
      registry,
      registryAuth: registryAuth('build', registry, dataDir),
      keyFile: join(dataDir, 'secrets', 'platform.key'),
      passphrase,
      progress: (line) => process.stdout.write(`    ${line}\n`),
    });
    process.stdout.write(
      `==> restored in ${((Date.now() - started) / 1000).toFixed(1)} s the backup of ${r.backedUpAt}: ${r.events} events, ${r.images} images ` +
        `(${r.blobsUploaded} layers uploaded), ${r.volumes} volumes. Start Slipway (npm start): it rebuilds the read models and deploys every running service again from its image.\n`,
    );
    process.stdout.write(`${JSON.stringify(r)}\n`);
  } finally {
    await nc.close();
  }
};

main().catch((err: Error) => {
  process.stderr.write(`ERROR: the restore failed: ${err.message}\n`);
  process.exit(1);
});
