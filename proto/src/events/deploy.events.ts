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
  /**
   * A copy of the service in a preview (issue 12): built at `ref` (the pull request's head commit,
   * or a branch), or, for a service not built from the preview's repository, running `imageRef`
   * (its current image). Named `<project>-<service>-<slug>` on the network `slipway-<project>-<slug>`.
   */
  z.object({ kind: z.literal('preview'), previewId: id, slug: z.string().min(4).max(24), ref: z.string().min(1).optional(), imageRef: imageRef.optional() }),
]);

const deploymentRequestedV1 = z.object({
  deploymentId: id,
  serviceId: id,
  projectId: id,
  projectName: dnsLabel,
  serviceName: dnsLabel,
  requestedAt: timestamp,
  trigger: deploymentTrigger,
  spec: serviceSpec,
});

/** A deployment of the same deployProject that this one waits for (a dependency of its service). */
export const awaitedDeployment = z.object({ deploymentId: id, serviceId: id, serviceName: dnsLabel });

/**
 * Carries the service's spec as it was when requested: a deployment is self-describing and immutable.
 * v2 (deployProject, issue 11): `waitsFor`, the deployments of its dependencies it waits for
 * (nothing of it is built until they all SUCCEEDED, then DeploymentReleased), and `dependents`,
 * the deployments that wait for it. v1 waited for nothing.
 */
export const DeploymentRequested = defineEvent('DeploymentRequested', where, deploymentRequestedV1).withVersion(
  deploymentRequestedV1.extend({ waitsFor: z.array(awaitedDeployment).max(50), dependents: z.array(id).max(200) }),
  (v1) => ({ ...v1, waitsFor: [], dependents: [] }),
);

/** The port the app listens on and the edge routes to, and why ("EXPOSE 8080 in the image", "Node default"). */
export const chosenPort = z.object({ number: z.number().int().min(1).max(65_535), reason: z.string().min(1).max(200) });
export type ChosenPort = z.infer<typeof chosenPort>;
/** Every deployment it waited for SUCCEEDED: its build (or roll-out) may start now. */
export const DeploymentReleased = defineEvent('DeploymentReleased', where, z.object({ deploymentId: id, releasedAt: timestamp }));

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
/**
 * Final: a deployment it waited for failed, was cancelled or was blocked itself; nothing of it was
 * built or rolled out. `finishedAt` came with deployProject (issue 11): optional, as no earlier
 * code emitted this event.
 */
export const DeploymentBlocked = defineEvent(
  'DeploymentBlocked',
  where,
  z.object({ deploymentId: id, blockedBy: id, reason: z.string().min(1), finishedAt: timestamp.optional() }),
);

export const deployEvents = [
  DeploymentRequested,
  DeploymentReleased,
  DeploymentStarted,
  DeploymentRolledOut,
  DeploymentSucceeded,
  DeploymentFailed,
  DeploymentCancelled,
  DeploymentRolledBack,
  DeploymentBlocked,
] as const;
