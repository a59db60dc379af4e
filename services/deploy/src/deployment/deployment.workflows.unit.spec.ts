import type { StoredEvent } from '@slipway/event-store';
import { workflowSpec } from '@slipway/testing';
import { failOnBuildFailed, rolloutOnBuildSucceeded, rolloutOnRollbackRequested, succeedOnRouteActivated } from './deployment.workflows';

const at = '2026-11-28T10:00:00.000Z';
const event = (type: string, data: Record<string, unknown>) => ({ type, data, occurredAt: at }) as StoredEvent;

describe('deployment workflows', () => {
  it('rolls out the image of a successful build', () => {
    workflowSpec(rolloutOnBuildSucceeded)
      .when(event('BuildSucceeded', { buildId: 'd_1', imageRef: 'reg/shop/web:abc', digest: 'sha256:x' }))
      .then([{ type: 'StartRollout', data: { deploymentId: 'd_1', imageRef: 'reg/shop/web:abc' }, now: at }]);
  });

  it('fails the deployment with the build’s reason', () => {
    workflowSpec(failOnBuildFailed)
      .when(event('BuildFailed', { buildId: 'd_1', reason: 'Step 2/4 RUN npm ci failed: exit code 1', lastLogLines: [] }))
      .then([{ type: 'MarkFailed', data: { deploymentId: 'd_1', reason: 'Build failed: Step 2/4 RUN npm ci failed: exit code 1' }, now: at }]);
  });

  it('rolls a rollback out at once, and leaves other requests to the build', () => {
    workflowSpec(rolloutOnRollbackRequested)
      .when(event('DeploymentRequested', { deploymentId: 'd_2', trigger: { kind: 'rollback', toDeploymentId: 'd_1', imageRef: 'reg/shop/web:old' } }))
      .then([{ type: 'StartRollout', data: { deploymentId: 'd_2', imageRef: 'reg/shop/web:old' }, now: at }]);
    workflowSpec(rolloutOnRollbackRequested).when(event('DeploymentRequested', { deploymentId: 'd_3', trigger: { kind: 'manual' } })).then([]);
  });

  it('succeeds when the route is active', () => {
    workflowSpec(succeedOnRouteActivated)
      .when(event('RouteActivated', { routeId: 's_1', deploymentId: 'd_1', url: 'https://web-shop.localhost' }))
      .then([{ type: 'MarkSucceeded', data: { deploymentId: 'd_1', url: 'https://web-shop.localhost' }, now: at }]);
  });
});
