import { deciderSpec, exampleServiceSpec } from '@slipway/testing';
import { deploymentDecider, type DeploymentEvent } from './deployment.decider';

const now = '2026-11-28T10:00:00.000Z';
const spec = exampleServiceSpec();
const request = {
  deploymentId: 'd_1',
  serviceId: 's_1',
  projectId: 'p_1',
  projectName: 'shop',
  serviceName: 'web',
  trigger: { kind: 'manual' as const },
  spec,
};
const requested: DeploymentEvent = { type: 'DeploymentRequested', data: { ...request, waitsFor: [], dependents: [], requestedAt: now } };
const started: DeploymentEvent = { type: 'DeploymentStarted', data: { deploymentId: 'd_1', imageRef: 'reg/shop-web:abc', startedAt: now } };
const rolledOut: DeploymentEvent = {
  type: 'DeploymentRolledOut',
  data: { deploymentId: 'd_1', swarmService: 'shop-web', network: 'slipway-shop', rolledOutAt: now },
};
const succeeded: DeploymentEvent = { type: 'DeploymentSucceeded', data: { deploymentId: 'd_1', url: 'https://web-shop.localhost', finishedAt: now } };
const { given } = deciderSpec(deploymentDecider);
const d = { deploymentId: 'd_1' };

describe('deployment decider', () => {
  it('goes queued → rolling out → rolled out → succeeded', () => {
    given([]).when({ type: 'RequestDeployment', data: request, now }).then([requested]);
    given([requested]).when({ type: 'StartRollout', data: { ...d, imageRef: 'reg/shop-web:abc' }, now }).then([started]);
    given([requested, started]).when({ type: 'MarkRolledOut', data: { ...d, swarmService: 'shop-web', network: 'slipway-shop' }, now }).then([rolledOut]);
    given([requested, started, rolledOut]).when({ type: 'MarkSucceeded', data: { ...d, url: 'https://web-shop.localhost' }, now }).then([succeeded]);
  });

  it('ignores redelivered steps instead of repeating them', () => {
    given([requested, started]).when({ type: 'StartRollout', data: { ...d, imageRef: 'reg/other:1' }, now }).then([]);
    given([requested, started, rolledOut, succeeded]).when({ type: 'MarkSucceeded', data: { ...d, url: 'https://x.localhost' }, now }).then([]);
    given([requested, started, rolledOut, succeeded]).when({ type: 'MarkFailed', data: { ...d, reason: 'late' }, now }).then([]);
  });

  it('refuses to request the same deployment twice', () => {
    given([requested]).when({ type: 'RequestDeployment', data: request, now }).thenThrows(/already exists/);
  });

  it('fails with the reason, once', () => {
    const failed: DeploymentEvent = { type: 'DeploymentFailed', data: { ...d, reason: 'health check failed 3 times', finishedAt: now } };
    given([requested, started]).when({ type: 'MarkFailed', data: { ...d, reason: 'health check failed 3 times' }, now }).then([failed]);
    given([requested, started, failed]).when({ type: 'MarkFailed', data: { ...d, reason: 'again' }, now }).then([]);
  });

  it('cancels a queued deployment once, and does not start it afterwards', () => {
    const cancelled: DeploymentEvent = { type: 'DeploymentCancelled', data: { ...d, finishedAt: now } };
    given([requested]).when({ type: 'CancelDeployment', data: d, now }).then([cancelled]);
    given([requested, cancelled]).when({ type: 'CancelDeployment', data: d, now }).then([]);
    given([requested, cancelled]).when({ type: 'StartRollout', data: { ...d, imageRef: 'reg/x:1' }, now }).then([]);
  });

  it('cannot cancel what does not exist or has finished', () => {
    given([]).when({ type: 'CancelDeployment', data: d, now }).thenThrows(/No deployment d_1/);
    given([requested, started, rolledOut, succeeded]).when({ type: 'CancelDeployment', data: d, now }).thenThrows(/already succeeded/);
  });

  it('cannot cancel a roll-out Swarm has begun: it ends by itself, live or rolled back', () => {
    given([requested, started]).when({ type: 'CancelDeployment', data: d, now }).thenThrows(/already rolling out and can no longer be cancelled/);
    given([requested, started, rolledOut]).when({ type: 'CancelDeployment', data: d, now }).thenThrows(/already rolling out/);
  });
});
