import { z } from 'zod';
import { defineEvent } from '../event-definition';
import { dnsLabel, id, imageRef, timestamp } from './common';
import { serviceSpec } from './service-spec';

const where = { context: 'deploy', aggregate: 'deployment' } as const;

export const deploymentTrigger = z.discriminatedUnion('kind', [
  z.object({ kind: z.literal('manual') }),
  z.object({ kind: z.literal('push'), commitSha: z.string().min(7) }),
  z.object({ kind: z.literal('rollback'), toDeploymentId: id, imageRef }),
  z.object({ kind: z.literal('cascade'), fromDeploymentId: id }),
]);

/** Carries the service's spec as it was when requested: a deployment is self-describing and immutable. */
export const DeploymentRequested = defineEvent(
  'DeploymentRequested',
  where,
  z.object({
    deploymentId: id,
    serviceId: id,
    projectId: id,
    projectName: dnsLabel,
    serviceName: dnsLabel,
    requestedAt: timestamp,
    trigger: deploymentTrigger,
    spec: serviceSpec,
  }),
);

/** The port the app listens on and the edge routes to, and why ("EXPOSE 8080 in the image", "Node default"). */
export const chosenPort = z.object({ number: z.number().int().min(1).max(65_535), reason: z.string().min(1).max(200) });
export type ChosenPort = z.infer<typeof chosenPort>;

/** The Swarm service runs the new tasks, healthy; routing points the domains at it next. */
export const DeploymentRolledOut = defineEvent(
  'DeploymentRolledOut',
  where,
  // rolledOutAt came later: optional, so older events stay valid (their roll-out's start stands in).
  // port came with issue 11 (optional too): older deployments ran on their spec's port.
  z.object({
    deploymentId: id,
    swarmService: z.string().min(1),
    network: z.string().min(1),
    rolledOutAt: timestamp.optional(),
    port: chosenPort.optional(),
  }),
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
  DeploymentRolledOut,
  DeploymentSucceeded,
  DeploymentFailed,
  DeploymentCancelled,
  DeploymentRolledBack,
  DeploymentBlocked,
] as const;
