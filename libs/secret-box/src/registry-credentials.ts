import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';

/** Who signs in to Slipway's registry: the build service pushes, the deploy service (and Swarm for it) pulls. */
export type RegistryIdentity = 'build' | 'deploy';

export interface RegistryAuth {
  username?: string;
  password?: string;
  serveraddress?: string;
}

const passwordOf = (identity: RegistryIdentity, dataDir: string): string | undefined => {
  const file = join(dataDir, 'secrets', 'registry', identity);
  return existsSync(file) ? readFileSync(file, 'utf8').trim() : undefined;
};

/**
 * The sign-in for Slipway's registry (infra/scripts/registry.sh refuses anonymous clients), in the
 * shape Docker's Engine API takes as X-Registry-Auth (dockerode's `authconfig`). Empty when there
 * is no password file: an anonymous request, which only another registry may accept.
 */
export const registryAuth = (
  identity: RegistryIdentity,
  registry = process.env.REGISTRY || '127.0.0.1:5000',
  dataDir = process.env.SLIPWAY_DATA_DIR ?? '/var/lib/slipway',
): RegistryAuth => {
  const password = passwordOf(identity, dataDir);
  return password ? { username: identity, password, serveraddress: registry } : {};
};

/**
 * The sign-in to send with an image ref (or a registry host): ours for Slipway's own registry (the
 * REGISTRY address), nothing for any other registry, Docker Hub, or a ref that names no registry.
 * Nothing, too, when there is no password file to sign in with.
 */
export const registryAuthFor = (
  identity: RegistryIdentity,
  imageRefOrRegistry: string,
  ours = process.env.REGISTRY || '127.0.0.1:5000',
  dataDir = process.env.SLIPWAY_DATA_DIR ?? '/var/lib/slipway',
): Required<RegistryAuth> | undefined => {
  if (imageRefOrRegistry.split('/')[0] !== ours) return undefined;
  const password = passwordOf(identity, dataDir);
  return password ? { username: identity, password, serveraddress: ours } : undefined;
};

/** The Authorization header for the registry's HTTP API (/v2/…), as `identity`. */
export const registryAuthHeader = (identity: RegistryIdentity, dataDir = process.env.SLIPWAY_DATA_DIR ?? '/var/lib/slipway'): Record<string, string> => {
  const password = passwordOf(identity, dataDir);
  return password ? { authorization: `Basic ${Buffer.from(`${identity}:${password}`).toString('base64')}` } : {};
};
