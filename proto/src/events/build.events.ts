import { z } from 'zod';
import { defineEvent } from '../event-definition';
import { commitSha, id, imageRef } from './common';

const where = { context: 'build', aggregate: 'build' } as const;
export const buildStrategy = z.enum(['dockerfile', 'node', 'spa', 'static', 'image', 'compose']);

export const BuildRequested = defineEvent(
  'BuildRequested',
  where,
  z.object({ buildId: id, deploymentId: id, serviceId: id, projectId: id }),
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
export const BuildFailed = defineEvent(
  'BuildFailed',
  where,
  z.object({ buildId: id, reason: z.string().min(1), lastLogLines: z.array(z.string()).max(50) }),
);

export const buildEvents = [BuildRequested, BuildStarted, BuildSucceeded, BuildFailed] as const;
