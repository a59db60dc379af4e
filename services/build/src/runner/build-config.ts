import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { archivesDirectory } from '@slipway/proto';
import { DEFAULT_UNPACK_LIMITS } from './archive-unpack.adapter';
import type { BuildConfig } from './build-job';

const positive = (value: string | undefined, fallback: number): number => {
  const parsed = value === undefined || value.trim() === '' ? Number.NaN : Number(value);
  return Number.isFinite(parsed) && parsed > 0 ? parsed : fallback;
};

/**
 * The runner's settings from the service's environment (infra/scripts/up.sh writes most of them
 * to $SLIPWAY_DATA_DIR/run/infra.env):
 *   SLIPWAY_DATA_DIR               → dataDir = $SLIPWAY_DATA_DIR/build   (default /var/lib/slipway),
 *                                    archivesDir = $SLIPWAY_DATA_DIR/archives
 *   REGISTRY                       → registry                              (default 127.0.0.1:5000)
 *   SLIPWAY_BUILD_NODE_IMAGE       → baseImages.node    (default node:24-bookworm-slim)
 *   SLIPWAY_BUILD_STATIC_IMAGE     → baseImages.static  (default slipway/caddy:local, infra/scripts/images.sh)
 *   SLIPWAY_BUILD_CPUS / _MEMORY_MB → limits            (default 1 CPU, 1024 MB)
 *   SLIPWAY_BUILD_TIMEOUT_S        → timeoutMs          (default 600 s)
 *   SLIPWAY_BUILD_MAX_UNPACKED_MB / _FILES → unpackLimits (default 1024 MiB, 50 000 files and folders)
 *   SLIPWAY_BUILD_EXTRA_CA_FILE, else HOST_CA_BUNDLE → extraCaFile, when that file exists
 *   DOCKER_SOCKET                  → dockerSocketPath   (else dockerode's default)
 */
export const buildConfigFromEnv = (env: NodeJS.ProcessEnv = process.env): BuildConfig => {
  const dataDir = join(env.SLIPWAY_DATA_DIR || '/var/lib/slipway', 'build');
  const archivesDir = archivesDirectory(env.SLIPWAY_DATA_DIR || '/var/lib/slipway');
  const extraCaFile = [env.SLIPWAY_BUILD_EXTRA_CA_FILE, env.HOST_CA_BUNDLE].find((file): file is string => !!file && existsSync(file));
  return {
    dataDir,
    archivesDir,
    registry: env.REGISTRY || '127.0.0.1:5000',
    baseImages: {
      node: env.SLIPWAY_BUILD_NODE_IMAGE || 'node:24-bookworm-slim',
      static: env.SLIPWAY_BUILD_STATIC_IMAGE || 'slipway/caddy:local',
    },
    limits: { cpus: positive(env.SLIPWAY_BUILD_CPUS, 1), memoryMb: Math.round(positive(env.SLIPWAY_BUILD_MEMORY_MB, 1024)) },
    timeoutMs: positive(env.SLIPWAY_BUILD_TIMEOUT_S, 600) * 1000,
    unpackLimits: {
      maxBytes: Math.round(positive(env.SLIPWAY_BUILD_MAX_UNPACKED_MB, DEFAULT_UNPACK_LIMITS.maxBytes / 1024 ** 2) * 1024 ** 2),
      maxEntries: Math.round(positive(env.SLIPWAY_BUILD_MAX_UNPACKED_FILES, DEFAULT_UNPACK_LIMITS.maxEntries)),
    },
    ...(extraCaFile ? { extraCaFile } : {}),
    ...(env.DOCKER_SOCKET ? { dockerSocketPath: env.DOCKER_SOCKET } : {}),
  };
};
