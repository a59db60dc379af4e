import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';

/** Who a process is on the bus: a service's name, or `operator` (provisioning, tests, host tools). */
export type BusIdentity = 'gateway' | 'project' | 'build' | 'deploy' | 'routing' | 'preview' | 'quota' | 'metrics' | 'backup' | 'operator';

export interface BusCredentials {
  user?: string;
  pass?: string;
  /** Each identity reads replies on its own prefix: the server lets nobody else subscribe to it. */
  inboxPrefix?: string;
}

export const busCredentialsDir = (): string =>
  process.env.SLIPWAY_NATS_CREDENTIALS_DIR ?? join(process.env.SLIPWAY_DATA_DIR ?? '/var/lib/slipway', 'secrets', 'nats');

/**
 * The connect options that sign `identity` in: its password from `$SLIPWAY_DATA_DIR/secrets/nats/<identity>`
 * (written by infra/scripts/nats-auth.sh). Without that file it connects anonymously, which only a
 * scratch nats-server (tests) accepts; the platform's server refuses it.
 */
export const busCredentials = (identity: BusIdentity): BusCredentials => {
  const file = join(busCredentialsDir(), identity);
  const inboxPrefix = identity === 'operator' ? undefined : `_INBOX_${identity}`;
  if (!existsSync(file)) return { inboxPrefix };
  return { user: identity, pass: readFileSync(file, 'utf8').trim(), inboxPrefix };
};
