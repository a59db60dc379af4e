import { createHash } from 'node:crypto';
import type Dockerode from 'dockerode';
import type { ServiceSpec } from '@slipway/proto';
import { healthCheckConfig } from './health-check.config';
import { secretEnvContainerSpec, type RunnableEnvVar, type SecretEnvMount } from './secret-env.plan';
import { volumeMounts } from './volume-mounts.plan';

/** A service spec whose secrets are open and whose port is chosen: what a container is given. Built only in memory, never stored. */
export type RunnableSpec = Omit<ServiceSpec, 'env' | 'port'> & { env: RunnableEnvVar[]; port: number };

export interface RolloutRequest {
  /** `<project>-<service>`: the Swarm service name. */
  swarmService: string;
  /** `slipway-<project>`: overlay, attachable; created when missing. */
  network: string;
  imageRef: string;
  spec: RunnableSpec;
  /** slipway.project, slipway.service, slipway.deployment */
  labels: Record<string, string>;
  /** Extra DNS names of the service on the project network (e.g. the bare service name, so `http://api:3000` works). */
  aliases?: string[];
}

/** Container label holding a hash of the task template: tells the new tasks from the old ones. */
export const SPEC_HASH_LABEL = 'slipway.spec-hash';
export const MANAGED_LABEL = 'slipway.managed';

const SECOND = 1_000_000_000; // Docker durations are nanoseconds
const MIB = 1024 * 1024;

/**
 * Swarm watches each new task for this long after it becomes healthy (and after the last one, before
 * declaring the update complete). Every update waits this long, so it is what a rollback (target
 * ≤ 10 s) mostly costs: 4 s catches a new task that crashes right after its first good check; one
 * that only turns unhealthy later (3 failures × (interval + timeout) ≈ 12 s) is replaced by Swarm
 * instead of rolled back.
 */
export const UPDATE_MONITOR_S = 4;

/**
 * Capabilities: everything is dropped, then the few a typical app needs are added back. With a
 * non-root `runAsUser` the process holds none of them anyway; for an image that starts as root:
 * - CHOWN, FOWNER, DAC_OVERRIDE: entrypoints that fix ownership of a data directory, or root writing
 *   into files owned by another user;
 * - SETUID, SETGID: entrypoints that drop to an unprivileged user (gosu, su-exec, nginx workers);
 * - NET_BIND_SERVICE: listening on a port below 1024 (nginx on 80);
 * - KILL: a supervisor (or nginx master) signalling its workers when they run as another user.
 * Not given back from Docker's defaults: NET_RAW (raw sockets, ping/ARP spoofing), MKNOD, SETFCAP,
 * SETPCAP, SYS_CHROOT, FSETID, AUDIT_WRITE.
 */
export const ADDED_CAPABILITIES = [
  'CAP_CHOWN',
  'CAP_DAC_OVERRIDE',
  'CAP_FOWNER',
  'CAP_SETUID',
  'CAP_SETGID',
  'CAP_NET_BIND_SERVICE',
  'CAP_KILL',
] as const;

/** A writable /tmp (tmpfs, counted against the memory limit) when the root filesystem is read-only. */
export const TMP_SIZE_BYTES = 64 * MIB;

/** Stable JSON (sorted keys) so that equal templates hash equally. */
const canonicalJson = (value: unknown): string =>
  JSON.stringify(value, (_key, v: unknown) =>
    v && typeof v === 'object' && !Array.isArray(v)
      ? Object.fromEntries(Object.entries(v as Record<string, unknown>).sort(([a], [b]) => a.localeCompare(b)))
      : v,
  );

export const specHash = (template: unknown): string => createHash('sha256').update(canonicalJson(template)).digest('hex').slice(0, 16);

/**
 * The Swarm service spec for one rollout: dnsrr on the project network, limits with equal
 * reservations, health check, start-first rolling update with automatic rollback, safe defaults.
 * `pinnedImage` is the image reference with its registry digest (`repo:tag@sha256:…`).
 */
/** Processes (and threads) one app container may have. */
export const PIDS_LIMIT = 1024;

export const buildSwarmServiceSpec = (request: RolloutRequest, pinnedImage: string, secretEnv?: SecretEnvMount): Dockerode.ServiceSpec => {
  const { spec, labels } = request;
  // Secret values never go into the spec: they come as Swarm secrets (secret-env.plan.ts).
  const secretKeys = spec.env.filter((v) => v.secret).map((v) => v.key);
  if (secretKeys.some((key) => !secretEnv?.secrets.some((s) => s.key === key))) {
    throw new Error(`the secret env vars ${secretKeys.join(', ')} need their Swarm secrets`);
  }
  const env = spec.env.filter((v) => !v.secret).map(({ key, value }) => `${key}=${value}`);
  // Heroku-style: the app is told its port unless the user set PORT themselves.
  if (!spec.env.some(({ key }) => key === 'PORT')) env.push(`PORT=${spec.port}`);
  const resources = { NanoCPUs: Math.round(spec.resources.cpu * SECOND), MemoryBytes: spec.resources.memoryMb * MIB };

  const delivery = secretEnv?.secrets.length ? secretEnvContainerSpec(secretEnv, { args: spec.command }) : undefined;
  const containerSpec: Dockerode.ContainerSpec & { Privileges?: Record<string, unknown> } = {
    Image: pinnedImage,
    // The service's command replaces the image's CMD (its ENTRYPOINT stays), as compose's `command` does;
    // with secrets, env-exec runs first, then the image's entrypoint with that command.
    ...(delivery ? { Command: delivery.Command, Args: delivery.Args, Secrets: delivery.Secrets } : spec.command?.length ? { Args: spec.command } : {}),
    Labels: { ...labels },
    Env: env,
    ...(spec.security.runAsUser ? { User: spec.security.runAsUser } : {}),
    ReadOnly: spec.security.readOnlyRootFilesystem,
    Mounts: [
      ...(spec.security.readOnlyRootFilesystem
        ? [{ Type: 'tmpfs', Target: '/tmp', TmpfsOptions: { SizeBytes: TMP_SIZE_BYTES, Mode: 0o1777 } } as Dockerode.MountSettings]
        : []),
      ...(delivery?.Mounts ?? []),
      // Writable whatever ReadOnly says: a volume is where a read-only container keeps its data.
      ...volumeMounts(spec.volumes, labels),
    ],
    HealthCheck: healthCheckConfig(spec.healthCheck, spec.port),
    CapabilityDrop: ['ALL'],
    CapabilityAdd: [...ADDED_CAPABILITIES],
    // Engine API ≥ 1.46 (Docker 27); Docker 20.10 (API 1.41) ignores the field: there dockerd runs
    // with --no-new-privileges for every container (infra/scripts/docker.sh).
    Privileges: { NoNewPrivileges: true },
    StopGracePeriod: 10 * SECOND,
  };

  const taskTemplate: Dockerode.ContainerTaskSpec = {
    ContainerSpec: containerSpec,
    // Memory is reserved (a node must have it); CPU is only capped: reserving each app's whole CPU
    // limit would let a 2-core machine run four half-core apps and no more.
    // Pids: a fork bomb in one app must not take the node's process table (Engine API ≥ 1.41).
    Resources: { Limits: { ...resources, Pids: PIDS_LIMIT }, Reservations: { MemoryBytes: resources.MemoryBytes } },
    RestartPolicy: { Condition: 'any', Delay: 2 * SECOND, MaxAttempts: 0 },
    Networks: [{ Target: request.network, ...(request.aliases?.length ? { Aliases: request.aliases } : {}) }],
    LogDriver: { Name: 'json-file', Options: { 'max-size': '10m', 'max-file': '3' } },
  };
  containerSpec.Labels = { ...containerSpec.Labels, [SPEC_HASH_LABEL]: specHash(taskTemplate) };

  return {
    Name: request.swarmService,
    Labels: { ...labels, [MANAGED_LABEL]: 'true' },
    TaskTemplate: taskTemplate,
    Mode: { Replicated: { Replicas: spec.replicas } },
    UpdateConfig: {
      Parallelism: 1,
      Delay: 0,
      FailureAction: 'rollback',
      Monitor: UPDATE_MONITOR_S * SECOND,
      MaxFailureRatio: 0,
      Order: 'start-first',
    },
    RollbackConfig: {
      Parallelism: 1,
      Delay: 0,
      FailureAction: 'pause',
      Monitor: 5 * SECOND,
      MaxFailureRatio: 0,
      Order: 'start-first',
    },
    EndpointSpec: { Mode: 'dnsrr' },
  };
};

/** The hash label of a spec built by `buildSwarmServiceSpec`. */
export const specHashOf = (spec: Dockerode.ServiceSpec | undefined): string | undefined =>
  (spec?.TaskTemplate as Dockerode.ContainerTaskSpec | undefined)?.ContainerSpec?.Labels?.[SPEC_HASH_LABEL];

/** `repo[:tag]` → `repo[:tag]@digest`; a reference that already has a digest is kept. */
export const pinImage = (imageRef: string, digest: string | undefined): string =>
  imageRef.includes('@') || !digest ? imageRef : `${imageRef}@${digest}`;

