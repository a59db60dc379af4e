import { z } from 'zod';
import { callerStanding, defineCommand, sealedFor, serviceSourceInput } from './commands';
import { dnsLabel, id } from './events/common';
import { buildStrategyChoice, customDomain, envKey, envValue, healthCheck, hostname, serviceCommand, serviceSpec } from './events/service-spec';
import { acmeDirectory, allowedHttpGitHosts, baseDomain } from './events/settings.events';

/**
 * Which level a variable belongs to; at deploy time they merge global < project < service, and in a
 * preview then < project-preview < service-preview (e.g. a preview's own DATABASE_URL).
 */
export const envVarTarget = z.discriminatedUnion('scope', [
  z.object({ scope: z.literal('global') }),
  z.object({ scope: z.literal('project'), projectId: id }),
  z.object({ scope: z.literal('service'), projectId: id, serviceId: id }),
  z.object({ scope: z.literal('project-preview'), projectId: id }),
  z.object({ scope: z.literal('service-preview'), projectId: id, serviceId: id }),
]);
export type EnvVarTarget = z.infer<typeof envVarTarget>;

/** A secret's value is sealed by the gateway for the deploy service (the one that opens it): never in clear on the bus. */
export const SetEnvVar = defineCommand(
  'project',
  'set-env-var',
  z
    .object({ target: envVarTarget, key: envKey, secret: z.boolean(), value: envValue.optional(), sealedValue: sealedFor('deploy').optional() })
    .refine((c) => (c.secret ? c.sealedValue !== undefined && c.value === undefined : c.value !== undefined && c.sealedValue === undefined), {
      message: 'a secret travels sealed (sealedValue), a plain value in clear (value)',
      path: ['value'],
    }),
);
export const RemoveEnvVar = defineCommand('project', 'remove-env-var', z.object({ target: envVarTarget, key: envKey }));

export const AddDomain = defineCommand('project', 'add-domain', z.object({ projectId: id, serviceId: id, hostname: customDomain }));
/** Any name the service has may be removed, even one an older version let in that `customDomain` now refuses. */
export const RemoveDomain = defineCommand('project', 'remove-domain', z.object({ projectId: id, serviceId: id, hostname }));

const dockerfilePath = serviceSpec.shape.build.shape.dockerfilePath.refine(
  (p) => !p.replace(/\\/g, '/').split('/').includes('..'),
  'must name a file inside the repository (no "..")',
);

/** Only what is given changes; the names are those of the GraphQL input, so a refused field is named the same there. */
export const serviceSettingsInput = z.object({
  /** A new name: a new hostname and Swarm service from the next deployment on. */
  name: dnsLabel.optional(),
  port: serviceSpec.shape.port.optional(),
  replicas: serviceSpec.shape.replicas.optional(),
  cpu: serviceSpec.shape.resources.shape.cpu.optional(),
  memoryMb: serviceSpec.shape.resources.shape.memoryMb.optional(),
  healthCheck: healthCheck.optional(),
  dockerfilePath: dockerfilePath.optional(),
  buildStrategy: buildStrategyChoice.optional(),
  /** The build context folder ("" or "." for the repository's root). */
  buildContext: z.union([z.literal(''), z.literal('.'), serviceSpec.shape.build.shape.context.unwrap()]).optional(),
  /** The whole set of build arguments ({} for none). */
  buildArgs: serviceSpec.shape.build.shape.args,
  source: serviceSourceInput.optional(),
  command: serviceCommand.optional(),
  /** The whole list of services it depends on ([] for none). */
  dependsOn: serviceSpec.shape.dependsOn,
  redeployDependents: z.boolean().optional(),
});
export type ServiceSettingsInput = z.infer<typeof serviceSettingsInput>;

export const UpdateServiceSettings = defineCommand(
  'project',
  'update-service-settings',
  z.object({ projectId: id, serviceId: id, settings: serviceSettingsInput, callerStanding: callerStanding.optional() }),
);

/** Only what is given changes; `acmeDirectory: null` goes back to the machine's CA, `allowedHttpGitHosts: []` allows none. */
export const SetInstanceSettings = defineCommand(
  'project',
  'set-instance-settings',
  z
    .object({ baseDomain: baseDomain.optional(), acmeDirectory: acmeDirectory.nullable().optional(), allowedHttpGitHosts: allowedHttpGitHosts.optional() })
    .refine((c) => c.baseDomain !== undefined || c.acmeDirectory !== undefined || c.allowedHttpGitHosts !== undefined, {
      message: 'give baseDomain, acmeDirectory or allowedHttpGitHosts',
      path: ['baseDomain'],
    }),
);

export const settingsCommands = [SetInstanceSettings, SetEnvVar, RemoveEnvVar, AddDomain, RemoveDomain, UpdateServiceSettings] as const;
