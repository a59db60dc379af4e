import { z } from 'zod';
import { defineEvent } from '../event-definition';
import { commitSha, dnsLabel, id, imageRef } from './common';
import { buildStrategyChoice, serviceSource } from './service-spec';

const where = { context: 'build', aggregate: 'build' } as const;
export const buildStrategy = z.enum(['dockerfile', 'node', 'spa', 'static', 'image', 'compose']);
export type BuildStrategy = z.infer<typeof buildStrategy>;
/**
 * The port a strategy's generated image listens on when the service names none (its Dockerfile
 * also EXPOSEs it): Node apps 3000, the platform's static server (SPA, static sites) 8080.
 */
export const STRATEGY_DEFAULT_PORTS: Partial<Record<BuildStrategy, { port: number; name: string }>> = {
  node: { port: 3000, name: 'Node' },
  spa: { port: 8080, name: 'static server (SPA)' },
  static: { port: 8080, name: 'static server' },
};
/** What an app is told (PORT) and routed to when nothing else names a port. */
export const PLATFORM_DEFAULT_PORT = 3000;

/** One build per deployment: the build id is the deployment id. */
export const BuildRequested = defineEvent(
  'BuildRequested',
  where,
  z.object({
    buildId: id,
    deploymentId: id,
    serviceId: id,
    projectId: id,
    projectName: dnsLabel,
    serviceName: dnsLabel,
    source: serviceSource,
    dockerfilePath: z.string().min(1),
    /** Optional (older requests have none): detected from the source when absent or `auto`. */
    strategy: buildStrategyChoice.optional(),
    /** Came with Compose import (optional): the context folder and build arguments of the service's build settings. */
    context: z.string().min(1).max(1024).optional(),
    args: z.record(z.string(), z.string()).optional(),
  }),
);
export const BuildStarted = defineEvent(
  'BuildStarted',
  where,
  z.object({ buildId: id, commitSha, strategy: buildStrategy }),
);
export const BuildSucceeded = defineEvent(
  'BuildSucceeded',
  where,
  z.object({ buildId: id, imageRef, digest: z.string().regex(/^sha256:[0-9a-f]{64}$/, 'must be sha256:<64 hex>') }),
);
/** v1 had only the reason; v2 adds the last log lines, so a failure explains itself (upcast: none kept). */
export const BuildFailed = defineEvent('BuildFailed', where, z.object({ buildId: id, reason: z.string().min(1) })).withVersion(
  z.object({ buildId: id, reason: z.string().min(1), lastLogLines: z.array(z.string()).max(50) }),
  (v1) => ({ ...v1, lastLogLines: [] }),
);

export const buildEvents = [BuildRequested, BuildStarted, BuildSucceeded, BuildFailed] as const;
