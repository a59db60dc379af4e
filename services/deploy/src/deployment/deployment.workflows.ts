import type { StoredEvent } from '@slipway/event-store';
import type { DeploymentRequested, EventData } from '@slipway/proto';
import type { DeploymentCommand } from './deployment.decider';

type Request = EventData<typeof DeploymentRequested>;

/** The deploy service's reactions to events: each turns one event into the commands it implies. */

/** An image is ready: roll it out (one build per deployment, so the build id is the deployment id). */
export const rolloutOnBuildSucceeded = (e: StoredEvent): DeploymentCommand[] => [
  { type: 'StartRollout', data: { deploymentId: String(e.data.buildId), imageRef: String(e.data.imageRef) }, now: e.occurredAt },
];

export const failOnBuildFailed = (e: StoredEvent): DeploymentCommand[] => [
  { type: 'MarkFailed', data: { deploymentId: String(e.data.buildId), reason: `Build failed: ${e.data.reason}` }, now: e.occurredAt },
];

/**
 * A rollback needs no build: it rolls out the earlier deployment's exact image at once; so does a
 * preview copy of a service that runs its production image (a database, an API from elsewhere).
 */
export const rolloutWithoutBuild = (request: Request, now: string): DeploymentCommand[] => {
  const { trigger, deploymentId } = request;
  if (trigger.kind === 'preview' && trigger.imageRef && request.waitsFor.length === 0) {
    return [{ type: 'StartRollout', data: { deploymentId, imageRef: trigger.imageRef }, now }];
  }
  if (trigger.kind !== 'rollback') return [];
  return [{ type: 'StartRollout', data: { deploymentId, imageRef: trigger.imageRef }, now }];
};

/** The domains point at the new version: the deployment is live at its URL. */
export const succeedOnRouteActivated = (e: StoredEvent): DeploymentCommand[] => [
  { type: 'MarkSucceeded', data: { deploymentId: String(e.data.deploymentId), url: String(e.data.url) }, now: e.occurredAt },
];
