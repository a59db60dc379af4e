import { createHash } from 'node:crypto';
import type Dockerode from 'dockerode';
import type { PlainEnvVar, ServiceSpec } from '@slipway/proto';

/** A service spec whose secrets are open: what a container is given. Built only in memory, never stored. */
export type RunnableSpec = Omit<ServiceSpec, 'env'> & { env: PlainEnvVar[] };

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
 * Health check timing. A check runs every 2 s; 3 failures in a row after the start period make the
 * container unhealthy, and Swarm replaces it. During the start period failures do not count, but
 * the first success makes the task healthy at once, so a longer period only delays the verdict on
 * an app that never comes up (≈ start period + 3 × interval ≈ 11 s here).
 */
export const HEALTH_TIMING = { intervalS: 2, timeoutS: 2, retries: 3, startPeriodS: 5 } as const;

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

const encodedPathChar = /[^A-Za-z0-9\-._~/?&=%+:@,;!*()$]/g;

/**
 * The path as it goes into a shell command: every character outside a safe URL set is
 * percent-encoded, so quotes, spaces, `$`-expansions or backticks can never reach the shell.
 */
export const safeHealthPath = (path: string): string =>
  path.replace(encodedPathChar, (c) =>
    [...Buffer.from(c, 'utf8')].map((b) => `%${b.toString(16).toUpperCase().padStart(2, '0')}`).join(''),
  );

/**
 * The health check command. Images differ in what they ship (busybox wget, curl, only node, or
 * nothing), so the shell picks the first client that exists. busybox's `wget -T` segfaults
 * (busybox-static 1.35), so no client gets its own timeout: Docker's check timeout bounds it.
 * Healthy means a 2xx/3xx answer (tcp: the port accepts a connection).
 */
export const healthCheckTest = (check: ServiceSpec['healthCheck'], port: number): string[] => {
  switch (check.kind) {
    case 'none':
      return ['NONE'];
    case 'http': {
      const url = `http://127.0.0.1:${port}${safeHealthPath(check.path)}`;
      const nodeProbe = `require('http').get(process.argv[1],r=>{console.log('HTTP '+r.statusCode);process.exit(r.statusCode<400?0:1)}).on('error',e=>{console.log(e.message);process.exit(1)})`;
      return [
        'CMD-SHELL',
        `if command -v wget >/dev/null 2>&1; then wget -q -O /dev/null '${url}'; ` +
          `elif command -v curl >/dev/null 2>&1; then curl -fsS -o /dev/null '${url}'; ` +
          `elif command -v node >/dev/null 2>&1; then node -e "${nodeProbe}" '${url}'; ` +
          `else echo 'slipway: the image has no wget, curl or node for the http health check' >&2; exit 1; fi`,
      ];
    }
    case 'tcp': {
      const nodeProbe = `require('net').connect(${port},'127.0.0.1').on('connect',()=>process.exit(0)).on('error',e=>{console.log(e.message);process.exit(1)})`;
      return [
        'CMD-SHELL',
        `if command -v bash >/dev/null 2>&1; then bash -c 'exec 3<>/dev/tcp/127.0.0.1/${port}'; ` +
          `elif command -v node >/dev/null 2>&1; then node -e "${nodeProbe}"; ` +
          // -w and a closed stdin, not -z: busybox's nc (static images) has no -z.
          `elif command -v nc >/dev/null 2>&1; then nc -w 1 127.0.0.1 ${port} </dev/null; ` +
          `else echo 'slipway: the image has no bash, node or nc for the tcp health check' >&2; exit 1; fi`,
      ];
    }
    default:
      return assertNever(check);
  }
};

export const healthCheckConfig = (check: ServiceSpec['healthCheck'], port: number): Dockerode.HealthConfig =>
  check.kind === 'none'
    ? { Test: ['NONE'] }
    : {
        Test: healthCheckTest(check, port),
        Interval: HEALTH_TIMING.intervalS * SECOND,
        Timeout: HEALTH_TIMING.timeoutS * SECOND,
        Retries: HEALTH_TIMING.retries,
        StartPeriod: HEALTH_TIMING.startPeriodS * SECOND,
      };

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

export const buildSwarmServiceSpec = (request: RolloutRequest, pinnedImage: string): Dockerode.ServiceSpec => {
  const { spec, labels } = request;
  const env = spec.env.map(({ key, value }) => `${key}=${value}`);
  // Heroku-style: the app is told its port unless the user set PORT themselves.
  if (!spec.env.some(({ key }) => key === 'PORT')) env.push(`PORT=${spec.port}`);
  const resources = { NanoCPUs: Math.round(spec.resources.cpu * SECOND), MemoryBytes: spec.resources.memoryMb * MIB };

  const containerSpec: Dockerode.ContainerSpec & { Privileges?: Record<string, unknown> } = {
    Image: pinnedImage,
    // The service's command replaces the image's CMD (its ENTRYPOINT stays), as compose's `command` does.
    ...(spec.command?.length ? { Args: spec.command } : {}),
    Labels: { ...labels },
    Env: env,
    ...(spec.security.runAsUser ? { User: spec.security.runAsUser } : {}),
    ReadOnly: spec.security.readOnlyRootFilesystem,
    Mounts: spec.security.readOnlyRootFilesystem
      ? [{ Type: 'tmpfs', Target: '/tmp', TmpfsOptions: { SizeBytes: TMP_SIZE_BYTES, Mode: 0o1777 } } as Dockerode.MountSettings]
      : [],
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

const assertNever = (value: never): never => {
  throw new Error(`unexpected value ${JSON.stringify(value)}`);
};
