import { z } from 'zod';
import { defineEvent } from '../event-definition';
import { id, imageRef, timestamp } from './common';

const where = { context: 'deploy', aggregate: 'deployment' } as const;

export const deploymentTrigger = z.discriminatedUnion('kind', [
  z.object({ kind: z.literal('manual') }),
  z.object({ kind: z.literal('push'), commitSha: z.string().min(7) }),
  z.object({ kind: z.literal('rollback'), toDeploymentId: id }),
  z.object({ kind: z.literal('cascade'), fromDeploymentId: id }),
]);

/** v1 had no trigger: every deployment was started by a person pressing Deploy (upcast: manual). */
export const DeploymentRequested = defineEvent(
  'DeploymentRequested',
  where,
  z.object({ deploymentId: id, serviceId: id, projectId: id, requestedAt: timestamp }),
).withVersion(
  z.object({ deploymentId: id, serviceId: id, projectId: id, requestedAt: timestamp, trigger: deploymentTrigger }),
  (v1) => ({ ...v1, trigger: { kind: 'manual' as const } }),
);

export const DeploymentStarted = defineEvent(
  'DeploymentStarted',
  where,
  z.object({ deploymentId: id, imageRef, startedAt: timestamp }),
);
export const DeploymentSucceeded = defineEvent(
  'DeploymentSucceeded',
  where,
  z.object({ deploymentId: id, url: z.url(), finishedAt: timestamp }),
);
export const DeploymentFailed = defineEvent(
  'DeploymentFailed',
  where,
  z.object({ deploymentId: id, reason: z.string().min(1), finishedAt: timestamp }),
);
export const DeploymentCancelled = defineEvent(
  'DeploymentCancelled',
  where,
  z.object({ deploymentId: id, finishedAt: timestamp }),
);
export const DeploymentRolledBack = defineEvent(
  'DeploymentRolledBack',
  where,
  z.object({ deploymentId: id, toImageRef: imageRef, reason: z.string().min(1) }),
);
export const DeploymentBlocked = defineEvent(
  'DeploymentBlocked',
  where,
  z.object({ deploymentId: id, blockedBy: id, reason: z.string().min(1) }),
);

export const deployEvents = [
  DeploymentRequested,
  DeploymentStarted,
  DeploymentSucceeded,
  DeploymentFailed,
  DeploymentCancelled,
  DeploymentRolledBack,
  DeploymentBlocked,
] as const;
