import { z } from 'zod';
import { dnsLabel, id, imageRef } from './common';

/**
 * The services that open secrets: deploy (env values), build (git credentials), gateway (webhook
 * secrets), preview (the git token again, for pull request comments and commit statuses).
 */
export const secretOpenerName = z.enum(['gateway', 'build', 'deploy', 'preview', 'metrics']);
export type SecretOpenerName = z.infer<typeof secretOpenerName>;

/** Sealed by the gateway for the one service that opens it (X25519 + AES-256-GCM); nobody else can open it. */
export const sealedSecret = z.object({
  alg: z.literal('x25519-aes-256-gcm'),
  for: secretOpenerName,
  epk: z.string().min(1),
  iv: z.string().min(1),
  tag: z.string().min(1),
  data: z.string().min(1),
});
export type SealedSecret = z.infer<typeof sealedSecret>;

/**
 * A secret as commands and events hold it, never in clear: sealed for its opener, or (written
 * before issue 10) AES-256-GCM under the shared platform key, which openers still read.
 */
export const encryptedSecret = z.discriminatedUnion('alg', [
  z.object({ alg: z.literal('aes-256-gcm'), iv: z.string().min(1), tag: z.string().min(1), data: z.string().min(1) }),
  sealedSecret,
]);
export type EncryptedSecret = z.infer<typeof encryptedSecret>;

export const gitCredentials = z.discriminatedUnion('kind', [
  // previewToken (issue 12): the same token sealed for the preview service, which comments on pull requests with it.
  z.object({ kind: z.literal('token'), token: encryptedSecret, previewToken: sealedSecret.optional() }),
  z.object({ kind: z.literal('deploy-key'), privateKey: encryptedSecret }),
]);

export const serviceSource = z.discriminatedUnion('kind', [
  z.object({
    kind: z.literal('git'),
    url: z.string().min(1).max(2048),
    ref: z.string().min(1).max(255),
    credentials: gitCredentials.optional(),
  }),
  z.object({ kind: z.literal('image'), ref: imageRef }),
  z.object({ kind: z.literal('archive'), archiveId: id }),
]);
export type ServiceSource = z.infer<typeof serviceSource>;

export const ENV_VALUE_MAX_BYTES = 32_768;
const utf8Bytes = (value: string) => new TextEncoder().encode(value).length;

export const envKey = z
  .string()
  .min(1, 'must not be empty')
  .max(256, 'must be at most 256 characters')
  .regex(/^[A-Za-z_][A-Za-z0-9_]*$/, 'must be letters, digits and "_", not starting with a digit');
export const envValue = z
  .string()
  .max(ENV_VALUE_MAX_BYTES)
  .refine((v) => utf8Bytes(v) <= ENV_VALUE_MAX_BYTES, 'must be at most 32 KiB (32768 bytes of UTF-8)');

/** A variable as the user typed it: what a service is created with, and what a container finally gets. */
export const plainEnvVar = z.object({ key: envKey, value: envValue });
export type PlainEnvVar = z.infer<typeof plainEnvVar>;
/** A secret variable: only the deploy service opens it, when it writes the container's environment. */
export const sealedEnvVar = z.object({ key: envKey, sealedValue: encryptedSecret });
export type SealedEnvVar = z.infer<typeof sealedEnvVar>;
export const envVar = z.union([plainEnvVar, sealedEnvVar]);
export type EnvVar = z.infer<typeof envVar>;

/** The strategy a build uses; `auto` (or none given) detects it from the repository. */
export const buildStrategyChoice = z.enum(['auto', 'dockerfile', 'node', 'spa', 'static']);
export type BuildStrategyChoice = z.infer<typeof buildStrategyChoice>;

export const healthCheck = z.discriminatedUnion('kind', [
  z.object({ kind: z.literal('http'), path: z.string().startsWith('/', 'must start with "/"').max(1024) }),
  z.object({ kind: z.literal('tcp') }),
  z.object({ kind: z.literal('none') }),
  /**
   * A command in the container (from a Compose `healthcheck:`), with its own timings. `test`
   * absent: the image's own HEALTHCHECK command, run with these timings.
   */
  z.object({
    kind: z.literal('command'),
    test: z
      .discriminatedUnion('kind', [
        z.object({ kind: z.literal('exec'), argv: z.array(z.string().max(4096)).min(1).max(100) }),
        z.object({ kind: z.literal('shell'), command: z.string().min(1).max(4096) }),
      ])
      .optional(),
    intervalMs: z.number().int().min(1_000, 'must be at least 1 s').max(3_600_000, 'must be at most 1 h'),
    timeoutMs: z.number().int().min(1_000, 'must be at least 1 s').max(3_600_000, 'must be at most 1 h'),
    retries: z.number().int().min(1).max(100),
    startPeriodMs: z.number().int().min(0).max(3_600_000, 'must be at most 1 h'),
  }),
]);
export type HealthCheck = z.infer<typeof healthCheck>;

export const hostname = z
  .string()
  .max(253)
  .regex(/^([a-z0-9]([a-z0-9-]*[a-z0-9])?\.)+[a-z0-9]([a-z0-9-]*[a-z0-9])?$/, 'must be a lower-case hostname like app.example.com');

const label = /^[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?$/;
/**
 * A domain of a service's own, wherever one is given (at creation or added later): a lower-case
 * DNS name of two labels or more (no wildcard, no IP address).
 */
export const customDomain = z
  .string()
  .min(1, 'must not be empty')
  .max(253, 'must be at most 253 characters')
  .refine((h) => h.includes('.') && h.split('.').every((l) => label.test(l)), {
    message: 'must be a lower-case hostname like app.example.com (labels of letters, digits and "-", at most 63 characters each)',
  })
  .refine((h) => !/^[0-9]+$/.test(h.split('.').at(-1) ?? ''), { message: 'must be a domain name, not an IP address' });

/**
 * What the container runs instead of its image's CMD, as an argument list (no shell); absent or
 * empty: the image's own. Came after the first services: optional, so older specs stay valid.
 */
export const serviceCommand = z
  .array(z.string().min(1, 'must not hold an empty argument').max(4096, 'must hold arguments of at most 4096 characters'))
  .max(100, 'must have at most 100 arguments');

/** A volume's name within its service: a DNS label, so it reads the same in Docker's name and the API. */
export const volumeName = z
  .string()
  .min(1, 'must not be empty')
  .max(63, 'must be at most 63 characters')
  .regex(/^[a-z0-9]([a-z0-9-]*[a-z0-9])?$/, 'must be lower-case letters, digits and "-", starting and ending with a letter or digit, like data');
/** Directories the kernel or the image's system owns: a volume over them would break the container. */
export const SYSTEM_DIRECTORIES = ['/bin', '/boot', '/dev', '/etc', '/lib', '/lib64', '/proc', '/run', '/sbin', '/sys', '/usr'] as const;
export const volumeMountPath = z
  .string()
  .min(1, 'must not be empty')
  .max(1024, 'must be at most 1024 characters')
  .refine((p) => p.startsWith('/'), { message: 'must be an absolute path, like /data' })
  .refine((p) => !p.split('/').some((part) => part === '..' || part === '.'), { message: 'must not contain "." or ".." parts' })
  .refine((p) => p.replace(/\/+$/, '') !== '', { message: 'must not be / (the whole filesystem); use a directory like /data' })
  .refine((p) => !SYSTEM_DIRECTORIES.some((dir) => p === dir || p.startsWith(`${dir}/`) || p === `${dir}/`), {
    message: `must not be a system directory (${SYSTEM_DIRECTORIES.join(', ')}) or inside one`,
  })
  .refine((p) => !/[\s,:"'\\]|\/\//.test(p), { message: 'must not contain spaces, commas, colons, quotes, backslashes or "//"' });
export const MAX_VOLUMES = 10;
/** A named volume of a service, kept across deployments; Docker's volume is named by project, service and this name. */
export const serviceVolume = z.object({ name: volumeName, mountPath: volumeMountPath });
export type ServiceVolume = z.infer<typeof serviceVolume>;
/** The ids of the services of its project a service depends on (issue 11). */
export const serviceDependencies = z.array(id).max(50, 'must name at most 50 services');

/** A folder of the repository, relative to its root, without "..": where a build's context starts. */
export const buildContextPath = z
  .string()
  .min(1)
  .max(1024)
  .refine((p) => !p.replace(/\\/g, '/').split('/').includes('..') && !p.startsWith('/'), 'must name a folder inside the repository (no "..")');

/** Everything needed to build and run one service; a deployment keeps the snapshot it ran with. */
export const serviceSpec = z.object({
  source: serviceSource,
  /** Absent: chosen at each deployment from the image's EXPOSE, else the build strategy's default (port-choice). */
  port: z.number().int('must be a whole number').min(1, 'must be 1 to 65535').max(65_535, 'must be 1 to 65535').optional(),
  /** Global < project < service, merged when a deployment is requested (one level: at most 500). */
  env: z.array(envVar).max(1_500),
  replicas: z.number().int('must be a whole number').min(1, 'must be 1 to 10').max(10, 'must be 1 to 10'),
  /** Seed ranges: 0.1–16 cores, 128–16384 MB. */
  resources: z.object({
    cpu: z.number().min(0.1, 'must be 0.1 to 16 cores').max(16, 'must be 0.1 to 16 cores'),
    memoryMb: z.number().int('must be a whole number').min(128, 'must be 128 to 16384 MB').max(16_384, 'must be 128 to 16384 MB'),
  }),
  healthCheck,
  domains: z.array(hostname).max(50),
  build: z.object({
    dockerfilePath: z.string().min(1).max(1024),
    strategy: buildStrategyChoice.optional(),
    /** The build context, a folder of the repository (Compose `build.context`); absent: the repository's root. */
    context: buildContextPath.optional(),
    /** Build arguments (Compose `build.args`): plain values, visible in the image's history. */
    args: z.record(envKey, z.string().max(4096)).optional(),
  }),
  security: z.object({ readOnlyRootFilesystem: z.boolean(), runAsUser: z.string().max(64).optional() }),
  command: serviceCommand.optional(),
  /** Came with issue 11: absent in older specs, which means none. */
  volumes: z.array(serviceVolume).max(MAX_VOLUMES).optional(),
  /** Services of the same project this one waits for in deployProject (came later: optional). */
  dependsOn: serviceDependencies.optional(),
  /** A successful deploy of this service redeploys the services that depend on it (trigger `cascade`). */
  redeployDependents: z.boolean().optional(),
});
export type ServiceSpec = z.infer<typeof serviceSpec>;

export { dnsLabel };
