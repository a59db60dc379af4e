import type { StoredEvent } from '@slipway/event-store';
import { deploymentsProjection, type DeploymentView } from '../deployments/deployments.projection';
import { withServices } from './preview-status';
import { previewsProjection as p, type PreviewView } from './previews.projection';

let seq = 0;
const event = (type: string, data: Record<string, unknown>, context: 'preview' | 'deploy' = 'preview'): StoredEvent => ({
  id: `e${++seq}`,
  type,
  version: 1,
  aggregateId: String(data.previewId ?? data.deploymentId),
  occurredAt: '2026-11-30T10:00:00.000Z',
  correlationId: 'c',
  causationId: 'c',
  actor: { kind: 'user', id: 'u_ann' },
  data,
  stream: { context, aggregate: context === 'preview' ? 'preview' : 'deployment', id: String(data.previewId ?? data.deploymentId) },
  streamVersion: seq,
  batchIndex: 0,
});
const fold = (events: StoredEvent[]) => events.reduce<PreviewView | null>((v, e) => p.evolve(v, e), null)!;

const previewId = 'p_1-pr-12';
const requested = (approvalNeeded: boolean, requestedAt = '2026-11-30T10:00:00.000Z') =>
  event('PreviewRequested', {
    previewId, projectId: 'p_1', slug: 'pr-12', number: 12, title: 'Faster checkout', provider: 'gitea', htmlUrl: 'http://git.test/o/shop/pulls/12',
    repositoryUrl: 'http://git.test/o/shop.git', headRef: 'checkout', headSha: 'abc1234', fromFork: approvalNeeded, approvalNeeded, requestedAt, expiresAt: '2026-12-07T10:00:00.000Z',
  });

/** A preview copy's deployment, folded by the deployments view as the gateway does. */
const copy = (deploymentId: string, service: string, requestedAt: string, ...then: [string, Record<string, unknown>][]) =>
  [
    event('DeploymentRequested', {
      deploymentId, serviceId: `s_${service}`, projectId: 'p_1', projectName: 'shop', serviceName: `${service}-pr-12`, requestedAt,
      trigger: { kind: 'preview', previewId, slug: 'pr-12', ref: 'abc1234' },
    }, 'deploy'),
    ...then.map(([type, data]) => event(type, { deploymentId, ...data }, 'deploy')),
  ].reduce<DeploymentView | null>((v, e) => deploymentsProjection.evolve(v, e), null)!;

describe('previews view', () => {
  it('keeps what the pull request says, and a fork waits for approval', () => {
    expect(fold([requested(true)])).toMatchObject({ id: previewId, number: 12, ref: 'checkout', headSha: 'abc1234', phase: 'WAITING_FOR_APPROVAL', fromFork: true, htmlUrl: 'http://git.test/o/shop/pulls/12' });
    const approved = event('PreviewApproved', { previewId, approvedBy: 'u_ann', approvedAt: '2026-11-30T11:00:00.000Z', expiresAt: '2026-12-07T11:00:00.000Z' });
    expect(fold([requested(true), approved])).toMatchObject({ phase: 'LIVE', expiresAt: '2026-12-07T11:00:00.000Z' });
  });

  it('follows a new head, a failed comment, and the teardown with its reason', () => {
    const moved = event('PreviewHeadMoved', { previewId, headSha: 'def5678', title: 'Faster checkout (2)', movedAt: '2026-11-30T12:00:00.000Z', expiresAt: '2026-12-07T12:00:00.000Z' });
    const commentFailed = event('PreviewCommentFailed', { previewId, reason: 'the git host refused the token', failedAt: '2026-11-30T12:00:01.000Z' });
    const destroy = event('PreviewDestroyRequested', { previewId, reason: 'merged', requestedAt: '2026-11-30T13:00:00.000Z' });
    const destroyed = event('PreviewDestroyed', { previewId, removed: { services: [], networks: [], volumes: [], images: [] }, destroyedAt: '2026-11-30T13:00:09.000Z' });
    expect(fold([requested(false), moved, commentFailed])).toMatchObject({ headSha: 'def5678', title: 'Faster checkout (2)', commentError: 'the git host refused the token' });
    expect(fold([requested(false), destroy])).toMatchObject({ phase: 'DESTROYING', reason: 'merged' });
    expect(fold([requested(false), destroy, destroyed])).toMatchObject({ phase: 'DESTROYED', reason: 'merged' });
  });

  it('ignores a stray event of a preview it never saw requested', () => {
    expect(p.evolve(null, event('PreviewApproved', { previewId, approvedBy: 'u', approvedAt: 'x', expiresAt: 'y' }))).toBeNull();
  });
});

describe('a preview with its copies', () => {
  const preview = fold([requested(false)]);

  it('is DEPLOYING until every copy succeeded, then RUNNING with the first service URL', () => {
    const web = copy('d_web', 'web', '2026-11-30T10:00:01.000Z', ['DeploymentSucceeded', { url: 'http://web-pr-12-shop.localhost', finishedAt: 'x' }]);
    const api = copy('d_api', 'api', '2026-11-30T10:00:01.000Z');
    expect(withServices(preview, [])).toMatchObject({ status: 'DEPLOYING', services: [], url: null });
    expect(withServices(preview, [web, api])).toMatchObject({ status: 'DEPLOYING', url: 'http://web-pr-12-shop.localhost' });
    const apiUp = copy('d_api', 'api', '2026-11-30T10:00:01.000Z', ['DeploymentSucceeded', { url: 'http://api-pr-12-shop.localhost', finishedAt: 'x' }]);
    expect(withServices(preview, [web, apiUp])).toMatchObject({
      status: 'RUNNING',
      url: 'http://api-pr-12-shop.localhost',
      services: [
        { name: 'api', url: 'http://api-pr-12-shop.localhost', status: 'SUCCEEDED', deploymentId: 'd_api' },
        { name: 'web', url: 'http://web-pr-12-shop.localhost', status: 'SUCCEEDED', deploymentId: 'd_web' },
      ],
    });
  });

  it('is FAILED when a copy failed, and counts only the latest deployment of each copy of this life', () => {
    const failed = copy('d_web1', 'web', '2026-11-30T10:00:01.000Z', ['DeploymentFailed', { reason: 'Build failed', finishedAt: 'x' }]);
    expect(withServices(preview, [failed]).status).toBe('FAILED');
    const fixed = copy('d_web2', 'web', '2026-11-30T10:05:00.000Z', ['DeploymentSucceeded', { url: 'http://web-pr-12-shop.localhost', finishedAt: 'x' }]);
    expect(withServices(preview, [failed, fixed])).toMatchObject({ status: 'RUNNING', services: [{ deploymentId: 'd_web2' }] });
    const reopened = fold([requested(false, '2026-11-30T11:00:00.000Z')]);
    expect(withServices(reopened, [failed, fixed])).toMatchObject({ status: 'DEPLOYING', services: [] });
  });

  it('shows waiting and teardown as they are, whatever its copies did', () => {
    expect(withServices(fold([requested(true)]), []).status).toBe('WAITING_FOR_APPROVAL');
    const destroying = fold([requested(false), event('PreviewDestroyRequested', { previewId, reason: 'destroyed', requestedAt: 'x' })]);
    expect(withServices(destroying, []).status).toBe('DESTROYING');
  });

  it('keeps preview copies out of the production service deployments', () => {
    const d = copy('d_web', 'web', '2026-11-30T10:00:01.000Z');
    expect(d).toMatchObject({ trigger: 'preview', previewId, serviceId: 's_web' });
  });
});
