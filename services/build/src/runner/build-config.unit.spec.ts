import { buildConfigFromEnv } from './build-config';

describe('build configuration from the environment', () => {
  it('has defaults that fit the single-machine install', () => {
    expect(buildConfigFromEnv({})).toEqual({
      dataDir: '/var/lib/slipway/build',
      archivesDir: '/var/lib/slipway/archives',
      registry: '127.0.0.1:5000',
      baseImages: { node: 'node:24-bookworm-slim', static: 'slipway/caddy:local' },
      limits: { cpus: 1, memoryMb: 1024 },
      timeoutMs: 600_000,
      unpackLimits: { maxBytes: 1024 ** 3, maxEntries: 50_000 },
    });
  });

  it('reads the infrastructure environment and its overrides; an extra CA only when the file exists', () => {
    const config = buildConfigFromEnv({
      SLIPWAY_DATA_DIR: '/data',
      REGISTRY: '10.0.0.5:5000',
      HOST_CA_BUNDLE: __filename,
      SLIPWAY_BUILD_CPUS: '0.5',
      SLIPWAY_BUILD_MEMORY_MB: '2048',
      SLIPWAY_BUILD_TIMEOUT_S: '90',
      SLIPWAY_BUILD_MAX_UNPACKED_MB: '8',
      SLIPWAY_BUILD_MAX_UNPACKED_FILES: '100',
      SLIPWAY_BUILD_NODE_IMAGE: 'node:22-slim',
      DOCKER_SOCKET: '/run/docker.sock',
    });
    expect(config).toMatchObject({
      dataDir: '/data/build',
      registry: '10.0.0.5:5000',
      extraCaFile: __filename,
      limits: { cpus: 0.5, memoryMb: 2048 },
      timeoutMs: 90_000,
      unpackLimits: { maxBytes: 8 * 1024 ** 2, maxEntries: 100 },
      baseImages: { node: 'node:22-slim', static: 'slipway/caddy:local' },
      dockerSocketPath: '/run/docker.sock',
    });
    expect(buildConfigFromEnv({ HOST_CA_BUNDLE: '/nonexistent/ca.crt', SLIPWAY_BUILD_CPUS: 'lots' })).not.toHaveProperty('extraCaFile');
    expect(buildConfigFromEnv({ SLIPWAY_BUILD_CPUS: '-1' }).limits.cpus).toBe(1);
  });
});
