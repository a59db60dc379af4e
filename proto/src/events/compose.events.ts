import { z } from 'zod';
import { defineEvent } from '../event-definition';
import { commitSha, dnsLabel, id } from './common';
import { serviceSource } from './service-spec';

const inProject = { context: 'project', aggregate: 'compose' } as const;

/** Where a project's Compose file is: a git repository (credentials sealed for the build service) and the file's path in it. */
export const composeOrigin = z.object({
  source: serviceSource.options[0],
  path: z.string().min(1).max(1024),
});
export type ComposeOrigin = z.infer<typeof composeOrigin>;

/**
 * A project's Compose file was read (at import, and again before each deploy) and its services
 * reconciled with the project's: `services` maps every compose service to the Slipway service
 * that follows it, with the plan it was last given (so the next read can tell what changed).
 * The services' own events (ServiceCreated, ServiceSettingsChanged, ServiceDeleted…) say how.
 */
export const ComposeReconciled = defineEvent(
  'ComposeReconciled',
  inProject,
  z.object({
    projectId: id,
    origin: composeOrigin,
    commit: commitSha,
    services: z.array(z.object({ name: dnsLabel, serviceId: id, plan: z.record(z.string(), z.unknown()) })).max(100),
    added: z.array(dnsLabel).max(100),
    changed: z.array(z.object({ name: dnsLabel, fields: z.array(z.string().max(64)).max(50) })).max(100),
    removed: z.array(z.object({ name: dnsLabel, serviceId: id })).max(100),
    /** Everything in the file Slipway did not take, each with its place in the file. */
    warnings: z.array(z.string().max(2_000)).max(200),
  }),
);

export const composeEvents = [ComposeReconciled] as const;
