/**
 * What a Compose file becomes in Slipway: one plan per compose service, in the words of Slipway's
 * service spec (source, build, port, env, replicas, resources, health check, volumes, dependencies).
 * Plans are plain data so the project service can store them, diff them on every deploy
 * (reconcileCompose) and turn them into ServiceCreated / ServiceSourceChanged / … events.
 */

/** A problem in the user's file: the compose key path, where it is, and what to do. */
export interface ComposeProblem {
  /** The compose key path, e.g. `services.web.ports[0]`; empty for the whole file. */
  path: string;
  /** One sentence for a person: what is wrong and what to do, with the path and position in it. */
  message: string;
  line?: number;
  column?: number;
}

export type DependencyCondition = 'service_started' | 'service_healthy' | 'service_completed_successfully';

export type ComposeSource =
  /** `build:` — built from the repository the compose file is in; paths are relative to its root. */
  | { kind: 'build'; context: string; dockerfilePath: string; args: Record<string, string> }
  /** `image:` — a ready image. */
  | { kind: 'image'; ref: string };

export type ComposeHealthTest = { kind: 'exec'; argv: string[] } | { kind: 'shell'; command: string };

export type ComposeHealthCheck =
  | { kind: 'none' }
  | {
      kind: 'command';
      /** Absent: the image's own HEALTHCHECK command, run with these timings. */
      test?: ComposeHealthTest;
      intervalMs: number;
      timeoutMs: number;
      retries: number;
      startPeriodMs: number;
      startIntervalMs?: number;
    };

export interface ComposePort {
  container: number;
  /** `ports` (published in compose) or `expose` (other services only, in compose). */
  from: 'ports' | 'expose';
  /** Why this port, in words the console can show. */
  reason: string;
}

export interface ComposeDependency {
  service: string;
  condition: DependencyCondition;
  /** `required: false`: compose only warns when the dependency is missing. */
  required: boolean;
  /** `restart: true`: redeploy this service after the dependency is redeployed. */
  restart: boolean;
}

export interface ComposeVolumeMount {
  /** The top-level named volume. */
  volume: string;
  mountPath: string;
  readOnly: boolean;
}

export interface ComposeEnvFile {
  /** Relative to the repository root, inside it. */
  path: string;
  required: boolean;
  /** `raw`: values are taken as written, no quotes or interpolation. */
  format: 'compose' | 'raw';
}

/** `value: null`: declared without a value and not resolved; it removes the variable (compose's rule). */
export interface ComposeEnvEntry {
  key: string;
  value: string | null;
}

export interface ComposeServicePlan {
  name: string;
  source: ComposeSource;
  /** Exec form. Absent: the image's CMD; empty: the image's CMD overridden to nothing. */
  command?: string[];
  /** `environment:` after interpolation; it wins over every env_file. */
  environment: ComposeEnvEntry[];
  /** `env_file:` in order (later files win); read them from the checkout, then mergeEnvironment. */
  envFiles: ComposeEnvFile[];
  /** Absent when the file names no TCP port: the build's EXPOSE or strategy decides. */
  port?: ComposePort;
  dependencies: ComposeDependency[];
  /** Absent: the image's own HEALTHCHECK, if any. */
  healthCheck?: ComposeHealthCheck;
  volumes: ComposeVolumeMount[];
  replicas: number;
  /** Absent: Slipway's defaults. */
  resources: { cpu?: number; memoryMb?: number };
}

export interface ComposeVolumePlan {
  name: string;
  /** The services that mount it, in file order. */
  usedBy: string[];
}

export interface ComposePlan {
  /** The path of the compose file in the repository, as given. */
  file: string;
  services: ComposeServicePlan[];
  volumes: ComposeVolumePlan[];
}

export type ComposeParseResult =
  | { ok: true; plan: ComposePlan; warnings: ComposeProblem[] }
  | { ok: false; errors: ComposeProblem[]; warnings: ComposeProblem[] };

/** `services.web.ports[0]` from ['services', 'web', 'ports', 0]. */
export const keyPath = (segments: readonly (string | number)[]): string =>
  segments.reduce<string>((out, s) => (typeof s === 'number' ? `${out}[${s}]` : out ? `${out}.${s}` : s), '');
