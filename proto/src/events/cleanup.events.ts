import { z } from 'zod';
import { defineEvent } from '../event-definition';
import { id, timestamp } from './common';

/**
 * The clean-up (issue 13): a run is an aggregate of the deploy service, platform.deploy.events.cleanup.<runId>.
 * Each service sweeps what it owns and reports its part: deploy (Swarm services, networks, registry
 * tags), routing (routes), build (local images, git caches). The run ends when the three parts
 * reported, or fails at its deadline naming the part that did not.
 */
const inRun = { context: 'deploy', aggregate: 'cleanup' } as const;

export const cleanupItemKinds = ['registry-tag', 'image', 'network', 'swarm-service', 'build-cache', 'route'] as const;
export const cleanupParts = ['deploy', 'routing', 'build'] as const;
export type CleanupPart = (typeof cleanupParts)[number];

/** Something removed (or, in a dry run, that would be): `bytes` is the disk it held, 0 when it holds none. */
export const cleanupItem = z.object({
  kind: z.enum(cleanupItemKinds),
  name: z.string().min(1).max(600),
  bytes: z.number().int().min(0),
  reason: z.string().min(1).max(400),
});
export type CleanupItem = z.infer<typeof cleanupItem>;
const items = z.array(cleanupItem).max(10_000);
/** What a part left alone and why (a network the edge still holds, a registry that did not answer). */
const notes = z.array(z.string().min(1).max(400)).max(200);

export const CleanupStarted = defineEvent(
  'CleanupStarted',
  inRun,
  z.object({
    runId: id,
    dryRun: z.boolean(),
    trigger: z.enum(['manual', 'schedule']),
    /** Registry images of the last `keepDeployments` successful deployments of each service are kept. */
    keepDeployments: z.number().int().min(2).max(1000),
    startedAt: timestamp,
    /** The run fails at this time if a part has not reported. */
    deadline: timestamp,
  }),
);
/** One removal of a real run, as it happens. */
export const CleanupItemRemoved = defineEvent('CleanupItemRemoved', inRun, cleanupItem.extend({ runId: id, part: z.enum(cleanupParts) }));
/** A part's whole list: what it removed, or (dry run) what it would remove. `error`: the part could not finish. */
export const CleanupPartReported = defineEvent(
  'CleanupPartReported',
  inRun,
  z.object({ runId: id, part: z.enum(cleanupParts), dryRun: z.boolean(), items, notes, reclaimedBytes: z.number().int().min(0), error: z.string().min(1).max(1000).optional() }),
);
export const CleanupFinished = defineEvent(
  'CleanupFinished',
  inRun,
  z.object({ runId: id, dryRun: z.boolean(), itemCount: z.number().int().min(0), reclaimedBytes: z.number().int().min(0), finishedAt: timestamp }),
);
export const CleanupFailed = defineEvent('CleanupFailed', inRun, z.object({ runId: id, reason: z.string().min(1).max(2000), finishedAt: timestamp }));

/** The routing service's part: its removals are RouteRemoved on each route; this is its report. */
export const RoutingCleanupReported = defineEvent(
  'RoutingCleanupReported',
  { context: 'routing', aggregate: 'cleanup' },
  z.object({ runId: id, dryRun: z.boolean(), items, notes, error: z.string().min(1).max(1000).optional() }),
);
/** The build service's part: each local image or git cache it removed, then its report. */
export const BuildCleanupItemRemoved = defineEvent('BuildCleanupItemRemoved', { context: 'build', aggregate: 'cleanup' }, cleanupItem.extend({ runId: id }));
export const BuildCleanupReported = defineEvent(
  'BuildCleanupReported',
  { context: 'build', aggregate: 'cleanup' },
  z.object({ runId: id, dryRun: z.boolean(), items, notes, error: z.string().min(1).max(1000).optional() }),
);

export const cleanupEvents = [
  CleanupStarted,
  CleanupItemRemoved,
  CleanupPartReported,
  CleanupFinished,
  CleanupFailed,
  RoutingCleanupReported,
  BuildCleanupItemRemoved,
  BuildCleanupReported,
] as const;
