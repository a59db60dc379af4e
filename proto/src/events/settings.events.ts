import { z } from 'zod';
import { defineEvent } from '../event-definition';
import { id } from './common';
import { encryptedSecret, envKey, envValue, healthCheck, hostname, serviceCommand, serviceDependencies, serviceSource, serviceSpec } from './service-spec';

/**
 * Settings of the project context that change after creation: environment variables at three
 * levels, custom domains, and the settings of a service. Secret values are sealed before any of
 * these events exists; the events never hold one in clear.
 */
const inProject = { context: 'project', aggregate: 'project' } as const;
/** Instance-wide settings (global env vars) live on one stream of their own: instance/global. */
const inInstance = { context: 'project', aggregate: 'instance' } as const;
/** A custom hostname belongs to at most one service of the whole instance: its claim is a stream of its own. */
const inDomain = { context: 'project', aggregate: 'domain' } as const;

/** One variable as events hold it: a plain value, or a sealed secret. */
export const envEntry = z.discriminatedUnion('secret', [
  z.object({ key: envKey, secret: z.literal(false), value: envValue }),
  z.object({ key: envKey, secret: z.literal(true), sealedValue: encryptedSecret }),
]);
export type EnvEntry = z.infer<typeof envEntry>;

export const GlobalEnvVarSet = defineEvent('GlobalEnvVarSet', inInstance, z.object({ variable: envEntry }));
export const GlobalEnvVarRemoved = defineEvent('GlobalEnvVarRemoved', inInstance, z.object({ key: envKey }));

export const ProjectEnvVarSet = defineEvent('ProjectEnvVarSet', inProject, z.object({ projectId: id, variable: envEntry }));
export const ProjectEnvVarRemoved = defineEvent('ProjectEnvVarRemoved', inProject, z.object({ projectId: id, key: envKey }));

export const ServiceEnvVarSet = defineEvent('ServiceEnvVarSet', inProject, z.object({ projectId: id, serviceId: id, variable: envEntry }));
export const ServiceEnvVarRemoved = defineEvent('ServiceEnvVarRemoved', inProject, z.object({ projectId: id, serviceId: id, key: envKey }));

/** Preview levels (issue 12): used by preview copies only, after the service level. */
export const ProjectPreviewEnvVarSet = defineEvent('ProjectPreviewEnvVarSet', inProject, z.object({ projectId: id, variable: envEntry }));
export const ProjectPreviewEnvVarRemoved = defineEvent('ProjectPreviewEnvVarRemoved', inProject, z.object({ projectId: id, key: envKey }));
export const ServicePreviewEnvVarSet = defineEvent('ServicePreviewEnvVarSet', inProject, z.object({ projectId: id, serviceId: id, variable: envEntry }));
export const ServicePreviewEnvVarRemoved = defineEvent('ServicePreviewEnvVarRemoved', inProject, z.object({ projectId: id, serviceId: id, key: envKey }));

/** What a settings change may touch; only the fields that changed are present. */
export const serviceSettingsChange = z.object({
  port: serviceSpec.shape.port.optional(),
  replicas: serviceSpec.shape.replicas.optional(),
  resources: serviceSpec.shape.resources.optional(),
  healthCheck: healthCheck.optional(),
  build: serviceSpec.shape.build.optional(),
  /** Came later (optional, as every field here): [] goes back to the image's own command. */
  command: serviceCommand.optional(),
  /** Came later: the whole list after the change ([] for none). */
  dependsOn: serviceDependencies.optional(),
  redeployDependents: z.boolean().optional(),
});
export type ServiceSettingsChange = z.infer<typeof serviceSettingsChange>;

/** Port, replicas, resources, health check, build settings or command; the next deployment applies them. */
export const ServiceSettingsChanged = defineEvent(
  'ServiceSettingsChanged',
  inProject,
  z.object({ projectId: id, serviceId: id, settings: serviceSettingsChange }),
);

/** Where the service's code comes from (git credentials sealed); the next deployment builds from it. */
export const ServiceSourceChanged = defineEvent('ServiceSourceChanged', inProject, z.object({ projectId: id, serviceId: id, source: serviceSource }));

/** `domains` is the service's whole list after the change, so a reader needs only the latest event. */
export const ServiceDomainAdded = defineEvent(
  'ServiceDomainAdded',
  inProject,
  z.object({ projectId: id, serviceId: id, hostname, domains: z.array(hostname).max(50) }),
);
export const ServiceDomainRemoved = defineEvent(
  'ServiceDomainRemoved',
  inProject,
  z.object({ projectId: id, serviceId: id, hostname, domains: z.array(hostname).max(50) }),
);

export const DomainClaimed = defineEvent('DomainClaimed', inDomain, z.object({ hostname, projectId: id, serviceId: id }));
export const DomainReleased = defineEvent('DomainReleased', inDomain, z.object({ hostname, serviceId: id }));

/** The stream id of a hostname's claim: a subject token has no dots, and a hostname has no "_". */
export const domainClaimId = (host: string): string => host.toLowerCase().replace(/\./g, '_');

/** The instance-wide settings stream. */
export const INSTANCE_ID = 'global';

/**
 * The instance's settings that decide routing, on one stream of their own (instance-settings/global):
 * every routing instance reads the same, whatever its environment. A new base domain applies to
 * each service at its next deployment.
 */
export const baseDomain = z
  .string()
  .min(1, 'must not be empty')
  .max(200, 'must be at most 200 characters')
  .regex(/^[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?(\.[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?)*$/, 'must be a lower-case domain like apps.example.com, or localhost')
  .refine((h) => !/^[0-9]+$/.test(h.split('.').at(-1) ?? ''), { message: 'must be a domain name, not an IP address' });
/** An ACME directory over HTTPS, e.g. Let's Encrypt's https://acme-v02.api.letsencrypt.org/directory. */
export const acmeDirectory = z
  .url('must be a URL like https://acme-v02.api.letsencrypt.org/directory')
  .max(500, 'must be at most 500 characters')
  .refine((u) => u.startsWith('https://'), { message: 'must be an https:// URL' });
export const DEFAULT_BASE_DOMAIN = 'localhost';
/**
 * A host that git sources may reach over plain http (a Gitea on the LAN): a lower-case host name,
 * an IPv4 address or a bracketed IPv6 one, with a port when only that port is meant.
 */
export const gitHost = z
  .string()
  .min(1, 'must not be empty')
  .max(260, 'must be at most 260 characters')
  .regex(
    /^([a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?(\.[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?)*|\[[0-9a-f:.]+\])(:[0-9]{1,5})?$/,
    'must be a lower-case host like gitea.lan or 192.168.1.10:3000 (no scheme, no path)',
  );
export const allowedHttpGitHosts = z.array(gitHost).max(100, 'must list at most 100 hosts');
/**
 * The settings as a whole after each change. `acmeDirectory` null: the machine's CA (infra.env:
 * Pebble here). `allowedHttpGitHosts`: absent before it existed, which means none.
 */
export const InstanceSettingsChanged = defineEvent(
  'InstanceSettingsChanged',
  { context: 'project', aggregate: 'instance-settings' },
  z.object({ baseDomain, acmeDirectory: acmeDirectory.nullable(), allowedHttpGitHosts: allowedHttpGitHosts.optional() }),
);

export const settingsEvents = [
  InstanceSettingsChanged,
  GlobalEnvVarSet,
  GlobalEnvVarRemoved,
  ProjectEnvVarSet,
  ProjectEnvVarRemoved,
  ServiceEnvVarSet,
  ServiceEnvVarRemoved,
  ProjectPreviewEnvVarSet,
  ProjectPreviewEnvVarRemoved,
  ServicePreviewEnvVarSet,
  ServicePreviewEnvVarRemoved,
  ServiceSettingsChanged,
  ServiceSourceChanged,
  ServiceDomainAdded,
  ServiceDomainRemoved,
  DomainClaimed,
  DomainReleased,
] as const;
