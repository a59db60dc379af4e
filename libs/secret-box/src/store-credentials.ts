import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';

/**
 * The read store's address with the gateway's sign-in (FerretDB refuses anonymous clients, see
 * infra/scripts/ferretdb.sh): the password from `$SLIPWAY_DATA_DIR/secrets/ferretdb/gateway`, never
 * in an environment file or a log. An address that already names a user is left as it is.
 */
export const readStoreUrl = (url: string, dataDir = process.env.SLIPWAY_DATA_DIR ?? '/var/lib/slipway'): string => {
  const password = readStorePassword(dataDir);
  if (url.includes('@') || password === undefined) return url;
  const m = /^(mongodb:\/\/)([^/?]+)\/?([^?]*)\??(.*)$/.exec(url);
  if (!m) throw new Error(`Not a MongoDB address: ${url}`);
  const [, scheme, hosts, db, query] = m;
  const options = [query, 'authSource=admin', 'authMechanism=SCRAM-SHA-256'].filter(Boolean).join('&');
  return `${scheme}gateway:${encodeURIComponent(password)}@${hosts}/${db}?${options}`;
};

/** The setup password a FerretDB of the tests' own is started with, so the same sign-in works there. */
export const readStorePassword = (dataDir = process.env.SLIPWAY_DATA_DIR ?? '/var/lib/slipway'): string | undefined => {
  const file = join(dataDir, 'secrets', 'ferretdb', 'gateway');
  return existsSync(file) ? readFileSync(file, 'utf8').trim() : undefined;
};
