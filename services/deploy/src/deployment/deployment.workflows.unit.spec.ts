import type { StoredEvent } from '@slipway/event-store';
import { workflowSpec } from '@slipway/testing';
import { failOnBuildFailed, rolloutOnBuildSucceeded, rolloutWithoutBuild, succeedOnRouteActivated } from './deployment.workflows';

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

  it('rolls a rollback (or a preview copy of a ready image) out at once, and leaves other requests to the build', () => {
    const request = (deploymentId: string, trigger: Record<string, unknown>, waitsFor: unknown[] = []) =>
      ({ deploymentId, trigger, waitsFor }) as unknown as Parameters<typeof rolloutWithoutBuild>[0];
    expect(rolloutWithoutBuild(request('d_2', { kind: 'rollback', toDeploymentId: 'd_1', imageRef: 'reg/shop/web:old' }), at)).toEqual([
      { type: 'StartRollout', data: { deploymentId: 'd_2', imageRef: 'reg/shop/web:old' }, now: at },
    ]);
    const copy = { kind: 'preview', previewId: 'p_1-pr-1', slug: 'pr-1', imageRef: 'reg/shop/db:1' };
    expect(rolloutWithoutBuild(request('d_4', copy), at)).toEqual([{ type: 'StartRollout', data: { deploymentId: 'd_4', imageRef: 'reg/shop/db:1' }, now: at }]);
    expect(rolloutWithoutBuild(request('d_5', copy, [{ deploymentId: 'd_6' }]), at)).toEqual([]); // rolled out once released
    expect(rolloutWithoutBuild(request('d_3', { kind: 'manual' }), at)).toEqual([]);
  });

  it('succeeds when the route is active', () => {
    workflowSpec(succeedOnRouteActivated)
      .when(event('RouteActivated', { routeId: 's_1', deploymentId: 'd_1', url: 'https://web-shop.localhost' }))
      .then([{ type: 'MarkSucceeded', data: { deploymentId: 'd_1', url: 'https://web-shop.localhost' }, now: at }]);
  });
});
