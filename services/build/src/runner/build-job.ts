import type { BuildStrategyChoice, ServiceSource } from '@slipway/proto';

/** What to build: one build per deployment (the build id is the deployment id). */
export interface BuildJob {
  buildId: string;
  deploymentId: string;
  projectName: string;
  serviceName: string;
  source: ServiceSource;
  /** Relative to the repository root. */
  dockerfilePath: string;
  /** From the service's settings; detected from the tree when absent or `auto`. */
  strategy?: BuildStrategyChoice;
  /** The folder of the repository the build starts in (Compose `build.context`); absent: the root. */
  context?: string;
  /** Build arguments (Compose `build.args`). */
  args?: Record<string, string>;
}

export interface BuildConfig {
  /** Clone cache and build contexts live here ($SLIPWAY_DATA_DIR/build). */
  dataDir: string;
  /** Where uploaded source archives are ($SLIPWAY_DATA_DIR/archives). */
  archivesDir: string;
  /** host:port of the registry the swarm pulls from. */
  registry: string;
  /** Bases of the generated Dockerfiles: a Node image with a `node` user, and a static file server. */
  baseImages: { node: string; static: string };
  /** Applied to the build containers, so a build never starves serving apps. */
  limits: { cpus: number; memoryMb: number };
  timeoutMs: number;
  /** The most an archive source may unpack to (archive-unpack.adapter.ts); its defaults when absent. */
  unpackLimits?: { maxBytes: number; maxEntries: number };
  /** A PEM bundle the build trusts in addition to its own (TLS-intercepting proxies). */
  extraCaFile?: string;
  /** Docker Engine socket; dockerode's default (DOCKER_HOST or /var/run/docker.sock) when absent. */
  dockerSocketPath?: string;
}

export interface BuildLogLine {
  stream: 'stdout' | 'stderr' | 'system';
  message: string;
}

export type BuildStrategy = 'dockerfile' | 'node' | 'spa' | 'static' | 'image';

export interface BuildOutcome {
  /** The pushed tag, `<registry>/<project>/<service>:<first 12 of commitSha>`. */
  imageRef: string;
  /** The registry's manifest digest, sha256:<64 hex>: what a deployment pins. */
  digest: string;
  /** The full commit that was built (for an image source: the hex of the source image's digest). */
  commitSha: string;
  strategy: BuildStrategy;
}

export interface BuildHooks {
  onLog(line: BuildLogLine): void;
  onStarted(info: { commitSha: string; strategy: BuildStrategy }): void;
  signal?: AbortSignal;
}
