import { dnsLabel, volumeName, type ServiceSettingsInput, type ServiceSourceInput, type ServiceSpecInput } from '@slipway/proto';
import type { ComposeHealthCheck, ComposeServicePlan } from './compose-plan';

type GitSource = Extract<ServiceSourceInput, { kind: 'git' }>;

/** The defaults createService gives what a compose file leaves out. */
const DEFAULT_RESOURCES = { cpu: 0.5, memoryMb: 512 };

/**
 * A compose name as a Slipway name (a DNS label, since it becomes a hostname): lower case, `_` and
 * `.` as `-`. Undefined when even that is not a label.
 */
export const slipwayName = (composeName: string): string | undefined => {
  const name = composeName.toLowerCase().replace(/[_.]/g, '-');
  return dnsLabel.safeParse(name).success ? name : undefined;
};

/** A compose volume's name as a Slipway volume's. */
export const slipwayVolumeName = (composeName: string): string | undefined => {
  const name = composeName.toLowerCase().replace(/[_.]/g, '-');
  return volumeName.safeParse(name).success ? name : undefined;
};

/**
 * Compose's health check in Slipway's words. No `healthcheck:` at all: a TCP check when the file
 * names a port (what createService does), none otherwise (a worker listens on nothing).
 * Timings below Slipway's floor of a second are raised to it.
 */
export const healthCheckOf = (check: ComposeHealthCheck | undefined, hasPort: boolean): ServiceSpecInput['healthCheck'] => {
  if (!check) return hasPort ? { kind: 'tcp' } : { kind: 'none' };
  if (check.kind === 'none') return { kind: 'none' };
  const atLeastASecond = (ms: number) => Math.max(1_000, Math.min(ms, 3_600_000));
  return {
    kind: 'command',
    ...(check.test ? { test: check.test } : {}),
    intervalMs: atLeastASecond(check.intervalMs),
    timeoutMs: atLeastASecond(check.timeoutMs),
    retries: Math.max(1, Math.min(check.retries, 100)),
    startPeriodMs: Math.max(0, Math.min(check.startPeriodMs, 3_600_000)),
  };
};

export interface SpecContext {
  /** The repository the compose file is in: `build:` services build from it. */
  repository: GitSource;
  /** The container's environment, env_files and `environment:` merged. */
  env: { key: string; value: string }[];
  /** The Slipway ids of the services it depends on. */
  dependsOn: string[];
}

const sourceOf = (plan: ComposeServicePlan, repository: GitSource): ServiceSourceInput =>
  plan.source.kind === 'image' ? { kind: 'image', ref: plan.source.ref } : repository;

const buildOf = (plan: ComposeServicePlan): ServiceSpecInput['build'] =>
  plan.source.kind === 'image'
    ? { dockerfilePath: 'Dockerfile' }
    : {
        dockerfilePath: plan.source.dockerfilePath,
        ...(plan.source.context && plan.source.context !== '.' ? { context: plan.source.context } : {}),
        ...(Object.keys(plan.source.args).length ? { args: plan.source.args } : {}),
      };

const volumesOf = (plan: ComposeServicePlan) => plan.volumes.map((v) => ({ name: slipwayVolumeName(v.volume)!, mountPath: v.mountPath }));

/** The service createService makes of a compose service. */
export const specOfPlan = (plan: ComposeServicePlan, ctx: SpecContext): ServiceSpecInput => ({
  source: sourceOf(plan, ctx.repository),
  ...(plan.port ? { port: plan.port.container } : {}),
  env: ctx.env,
  replicas: plan.replicas,
  resources: { cpu: plan.resources.cpu ?? DEFAULT_RESOURCES.cpu, memoryMb: plan.resources.memoryMb ?? DEFAULT_RESOURCES.memoryMb },
  healthCheck: healthCheckOf(plan.healthCheck, Boolean(plan.port)),
  domains: [],
  build: buildOf(plan),
  security: { readOnlyRootFilesystem: false },
  ...(plan.command?.length ? { command: plan.command } : {}),
  ...(plan.volumes.length ? { volumes: volumesOf(plan) } : {}),
  ...(ctx.dependsOn.length ? { dependsOn: ctx.dependsOn } : {}),
});

/**
 * The settings a changed compose service is given: all of them, as the file says now (the
 * settings decider keeps only what differs). Variables and volumes change through their own commands.
 */
export const settingsOfPlan = (plan: ComposeServicePlan, ctx: SpecContext): ServiceSettingsInput => {
  const spec = specOfPlan(plan, ctx);
  return {
    ...(spec.port !== undefined ? { port: spec.port } : {}),
    replicas: spec.replicas,
    cpu: spec.resources.cpu,
    memoryMb: spec.resources.memoryMb,
    healthCheck: spec.healthCheck,
    dockerfilePath: spec.build.dockerfilePath,
    buildContext: spec.build.context ?? '.',
    buildArgs: spec.build.args ?? {},
    source: spec.source,
    command: spec.command ?? [],
    dependsOn: ctx.dependsOn,
  };
};

/** What a service's variables must become: set what is new or different, remove what the file no longer names. */
export const envChanges = (before: readonly { key: string; value: string }[], after: readonly { key: string; value: string }[]) => {
  const old = new Map(before.map((e) => [e.key, e.value]));
  const next = new Set(after.map((e) => e.key));
  return {
    set: after.filter((e) => old.get(e.key) !== e.value),
    remove: before.filter((e) => !next.has(e.key)).map((e) => e.key),
  };
};

/** The volumes to add and remove (by Slipway name) when a plan's mounts change. */
export const volumeChanges = (before: ComposeServicePlan | undefined, after: ComposeServicePlan) => {
  const old = new Map((before ? volumesOf(before) : []).map((v) => [v.name, v.mountPath]));
  const next = volumesOf(after);
  const names = new Set(next.map((v) => v.name));
  return {
    add: next.filter((v) => old.get(v.name) !== v.mountPath),
    remove: [...old.keys()].filter((name) => !names.has(name) || next.find((v) => v.name === name)!.mountPath !== old.get(name)),
  };
};
