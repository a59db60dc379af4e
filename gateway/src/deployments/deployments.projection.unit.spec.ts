import type { StoredEvent } from '@slipway/event-store';
import { deploymentsProjection as p, type DeploymentView } from './deployments.projection';

let seq = 0;
const event = (type: string, data: Record<string, unknown>, context: 'deploy' | 'build' = 'deploy'): StoredEvent => ({
  id: `e${++seq}`,
  type,
  version: 1,
  aggregateId: 'd_1',
  occurredAt: `2026-11-28T10:00:0${seq % 10}.000Z`,
  correlationId: 'c',
  causationId: 'c',
  actor: { kind: 'user', id: 'u_ann' },
  data,
  stream: { context, aggregate: context === 'deploy' ? 'deployment' : 'build', id: 'd_1' },
  streamVersion: seq,
  batchIndex: 0,
});
const fold = (events: StoredEvent[]) => events.reduce<DeploymentView | null>((v, e) => p.evolve(v, e), null);

const requested = event('DeploymentRequested', {
  deploymentId: 'd_1',
  serviceId: 's_1',
  projectId: 'p_1',
  projectName: 'shop',
  serviceName: 'web',
  requestedAt: '2026-11-28T10:00:00.000Z',
  trigger: { kind: 'manual' },
});
const buildStarted = event('BuildStarted', { buildId: 'd_1', commitSha: 'abc1234', strategy: 'dockerfile' }, 'build');
const started = event('DeploymentStarted', { deploymentId: 'd_1', imageRef: 'reg/shop/web:abc', startedAt: '2026-11-28T10:00:05.000Z' });
const succeeded = event('DeploymentSucceeded', { deploymentId: 'd_1', url: 'https://web-shop.localhost', finishedAt: '2026-11-28T10:00:09.000Z' });

describe('deployments view', () => {
  it('shows what a deployment of deployProject waits for, then BLOCKED with the reason naming the dependency', () => {
    const waiting = event('DeploymentRequested', { ...requested.data, waitsFor: [{ deploymentId: 'd_0', serviceId: 's_0', serviceName: 'db' }], dependents: [] });
    expect(fold([waiting])).toMatchObject({ status: 'QUEUED', waitingFor: ['db'] });
    expect(fold([waiting, event('DeploymentReleased', { deploymentId: 'd_1', releasedAt: '2026-11-28T10:00:03.000Z' })])).toMatchObject({ status: 'QUEUED', waitingFor: [] });
    const reason = 'Not deployed: its dependency db failed: Build failed: exit 1';
    const blocked = event('DeploymentBlocked', { deploymentId: 'd_1', blockedBy: 'd_0', reason, finishedAt: '2026-11-28T10:00:04.000Z' });
    expect(fold([waiting, blocked])).toMatchObject({ status: 'BLOCKED', error: reason, waitingFor: [], finishedAt: '2026-11-28T10:00:04.000Z' });
  });

  it('follows a deployment from queued to succeeded', () => {
    expect(fold([requested])).toMatchObject({ status: 'QUEUED', triggeredBy: 'u_ann', serviceName: 'web' });
    expect(fold([requested, buildStarted])).toMatchObject({ status: 'BUILDING', commitSha: 'abc1234', strategy: 'dockerfile' });
    expect(fold([requested, buildStarted, started, succeeded])).toMatchObject({
      status: 'SUCCEEDED',
      url: 'https://web-shop.localhost',
      imageRef: 'reg/shop/web:abc',
      finishedAt: '2026-11-28T10:00:09.000Z',
    });
  });

  it('never moves the status backwards when build events arrive late', () => {
    expect(fold([requested, started, buildStarted])).toMatchObject({ status: 'DEPLOYING', commitSha: 'abc1234' });
    expect(fold([buildStarted, requested])).toMatchObject({ status: 'BUILDING', serviceName: 'web' });
  });

  it('keeps the reason of a failure', () => {
    const buildFailed = event('BuildFailed', { buildId: 'd_1', reason: 'Step 3/5 RUN npm ci failed', lastLogLines: [] }, 'build');
    const failed = event('DeploymentFailed', { deploymentId: 'd_1', reason: 'Build failed: Step 3/5 RUN npm ci failed', finishedAt: '2026-11-28T10:01:00.000Z' });
    expect(fold([requested, buildStarted, buildFailed, failed])).toMatchObject({ status: 'FAILED', error: 'Build failed: Step 3/5 RUN npm ci failed' });
  });

  it('maps each event to its deployment document', () => {
    expect(p.documentId(buildStarted)).toBe('d_1');
    expect(p.documentId(requested)).toBe('d_1');
  });
});

describe('the port a deployment runs on', () => {
  it('is kept from its roll-out, with why; an older roll-out without one leaves it unset', () => {
    const port = { number: 8080, reason: 'EXPOSE 8080 in the image' };
    const rolledOut = event('DeploymentRolledOut', { deploymentId: 'd_1', swarmService: 'shop-web', network: 'slipway-shop', port });
    expect(fold([requested, rolledOut])).toMatchObject({ port: 8080, portReason: 'EXPOSE 8080 in the image' });
    const older = event('DeploymentRolledOut', { deploymentId: 'd_1', swarmService: 'shop-web', network: 'slipway-shop' });
    expect(fold([requested, older])?.port).toBeUndefined();
  });
});
