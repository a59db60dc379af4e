import { z } from 'zod';
import { dnsLabel, id, imageRef } from './common';

/** A secret as stored in events: AES-256-GCM under the platform key; never stored or shown in clear. */
export const encryptedSecret = z.object({
  alg: z.literal('aes-256-gcm'),
  iv: z.string().min(1),
  tag: z.string().min(1),
  data: z.string().min(1),
});
export type EncryptedSecret = z.infer<typeof encryptedSecret>;

export const gitCredentials = z.discriminatedUnion('kind', [
  z.object({ kind: z.literal('token'), token: encryptedSecret }),
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

export const envVar = z.object({
  key: z.string().regex(/^[A-Za-z_][A-Za-z0-9_]*$/, 'must be letters, digits and "_", not starting with a digit').max(255),
  value: z.string().max(32_768),
});

export const healthCheck = z.discriminatedUnion('kind', [
  z.object({ kind: z.literal('http'), path: z.string().startsWith('/', 'must start with "/"').max(1024) }),
  z.object({ kind: z.literal('tcp') }),
  z.object({ kind: z.literal('none') }),
]);

export const hostname = z
  .string()
  .max(253)
  .regex(/^([a-z0-9]([a-z0-9-]*[a-z0-9])?\.)+[a-z0-9]([a-z0-9-]*[a-z0-9])?$/, 'must be a lower-case hostname like app.example.com');

/** Everything needed to build and run one service; a deployment keeps the snapshot it ran with. */
export const serviceSpec = z.object({
  source: serviceSource,
  port: z.number().int().min(1).max(65_535),
  env: z.array(envVar).max(500),
  replicas: z.number().int().min(1).max(10),
  /** Seed ranges: 0.1–16 cores, 128–16384 MB. */
  resources: z.object({ cpu: z.number().min(0.1).max(16), memoryMb: z.number().int().min(128).max(16_384) }),
  healthCheck,
  domains: z.array(hostname).max(50),
  build: z.object({ dockerfilePath: z.string().min(1).max(1024) }),
  security: z.object({ readOnlyRootFilesystem: z.boolean(), runAsUser: z.string().max(64).optional() }),
});
export type ServiceSpec = z.infer<typeof serviceSpec>;

export { dnsLabel };
