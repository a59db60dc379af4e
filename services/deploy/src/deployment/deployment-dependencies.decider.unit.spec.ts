import { deciderSpec, exampleServiceSpec } from '@slipway/testing';
import { deploymentDecider, type AwaitedOutcome, type DeploymentEvent } from './deployment.decider';

const now = '2026-11-30T10:00:00.000Z';
const api = {
  deploymentId: 'd_api',
  serviceId: 's_api',
  projectId: 'p_1',
  projectName: 'shop',
  serviceName: 'api',
  trigger: { kind: 'manual' as const },
  spec: exampleServiceSpec({ dependsOn: ['s_db'] }),
  waitsFor: [{ deploymentId: 'd_db', serviceId: 's_db', serviceName: 'db' }],
  dependents: ['d_web'],
};
const requested: DeploymentEvent = { type: 'DeploymentRequested', data: { ...api, requestedAt: now } };
const settle = (...dependencies: AwaitedOutcome[]) => ({ type: 'SettleDependencies' as const, data: { deploymentId: 'd_api', dependencies }, now });
const db = (status: AwaitedOutcome['status'], reason?: string): AwaitedOutcome => ({ deploymentId: 'd_db', serviceName: 'db', status, reason });
const cache = (status: AwaitedOutcome['status']): AwaitedOutcome => ({ deploymentId: 'd_cache', serviceName: 'cache', status });
const released: DeploymentEvent = { type: 'DeploymentReleased', data: { deploymentId: 'd_api', releasedAt: now } };
const { given } = deciderSpec(deploymentDecider);

describe('a deployment that waits for its dependencies', () => {
  it('waits, then is released once every dependency succeeded', () => {
    given([]).when({ type: 'RequestDeployment', data: api, now }).then([requested]);
    given([requested]).when(settle(db('rolling-out'), cache('succeeded'))).then([]);
    given([requested]).when(settle(db('succeeded'), cache('succeeded'))).then([released]);
  });

  it('starts no roll-out while it waits (a stray build result changes nothing)', () => {
    given([requested]).when({ type: 'StartRollout', data: { deploymentId: 'd_api', imageRef: 'reg/x:1' }, now }).then([]);
  });

  it('is blocked, naming the dependency and its failure, when one fails', () => {
    given([requested])
      .when(settle(db('failed', 'health check failed 3 times'), cache('succeeded')))
      .then([
        {
          type: 'DeploymentBlocked',
          data: { deploymentId: 'd_api', blockedBy: 'd_db', reason: 'Not deployed: its dependency db failed: health check failed 3 times', finishedAt: now },
        },
      ]);
  });

  it('is blocked when a dependency was cancelled or blocked itself', () => {
    given([requested]).when(settle(db('cancelled'))).then([
      { type: 'DeploymentBlocked', data: { deploymentId: 'd_api', blockedBy: 'd_db', reason: 'Not deployed: its dependency db was cancelled', finishedAt: now } },
    ]);
    given([requested]).when(settle(db('blocked', 'Not deployed: its dependency auth failed: exit 1'))).then([
      {
        type: 'DeploymentBlocked',
        data: { deploymentId: 'd_api', blockedBy: 'd_db', reason: 'Not deployed: its dependency db was blocked: Not deployed: its dependency auth failed: exit 1', finishedAt: now },
      },
    ]);
  });

  it('settles once: a second word after release or block changes nothing', () => {
    given([requested, released]).when(settle(db('failed', 'late'))).then([]);
    const blocked: DeploymentEvent = { type: 'DeploymentBlocked', data: { deploymentId: 'd_api', blockedBy: 'd_db', reason: 'x', finishedAt: now } };
    given([requested, blocked]).when(settle(db('succeeded'))).then([]);
    given([requested, blocked]).when({ type: 'MarkFailed', data: { deploymentId: 'd_api', reason: 'late' }, now }).then([]);
  });

  it('may be cancelled while it waits', () => {
    given([requested]).when({ type: 'CancelDeployment', data: { deploymentId: 'd_api' }, now }).then([
      { type: 'DeploymentCancelled', data: { deploymentId: 'd_api', finishedAt: now } },
    ]);
  });

  it('keeps why it failed or was blocked, for those that wait for it', () => {
    const failed: DeploymentEvent = { type: 'DeploymentFailed', data: { deploymentId: 'd_api', reason: 'Build failed: exit 2', finishedAt: now } };
    const state = [requested, released, failed].reduce(deploymentDecider.evolve, deploymentDecider.initialState);
    expect(state).toMatchObject({ status: 'failed', reason: 'Build failed: exit 2' });
  });
});
