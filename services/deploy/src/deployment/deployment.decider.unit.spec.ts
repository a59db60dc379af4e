import { deciderSpec } from '@slipway/testing';
import { deploymentDecider, type DeploymentEvent } from './deployment.decider';

const now = '2026-11-28T10:00:00.000Z';
const ids = { deploymentId: 'd_1', serviceId: 's_1', projectId: 'p_1' };
const requested: DeploymentEvent = {
  type: 'DeploymentRequested',
  data: { ...ids, requestedAt: now, trigger: { kind: 'manual' } },
};
const { given } = deciderSpec(deploymentDecider);

describe('deployment decider', () => {
  it('requests a new deployment, manual unless told otherwise', () => {
    given([]).when({ type: 'RequestDeployment', data: ids, now }).then([requested]);
  });

  it('refuses to request the same deployment twice', () => {
    given([requested]).when({ type: 'RequestDeployment', data: ids, now }).thenThrows(/already exists/);
  });

  it('cancels a queued deployment, once', () => {
    const cancelled: DeploymentEvent = { type: 'DeploymentCancelled', data: { deploymentId: 'd_1', finishedAt: now } };
    given([requested]).when({ type: 'CancelDeployment', data: { deploymentId: 'd_1' }, now }).then([cancelled]);
    given([requested, cancelled]).when({ type: 'CancelDeployment', data: { deploymentId: 'd_1' }, now }).then([]);
  });

  it('cannot cancel what does not exist or has finished', () => {
    given([]).when({ type: 'CancelDeployment', data: { deploymentId: 'd_1' }, now }).thenThrows(/No deployment d_1/);
    const succeeded: DeploymentEvent = {
      type: 'DeploymentSucceeded',
      data: { deploymentId: 'd_1', url: 'https://web-shop.localhost', finishedAt: now },
    };
    given([requested, succeeded])
      .when({ type: 'CancelDeployment', data: { deploymentId: 'd_1' }, now })
      .thenThrows(/already succeeded/);
  });
});
