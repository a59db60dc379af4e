import { sealFor } from '@slipway/secret-box';
import { generateKeyPairSync } from 'node:crypto';
import { foldPreviewDeployment, latestPerService } from './preview-deployments';
import { commentTokenFor, foldServiceSources } from './service-sources';

const requested = (deploymentId: string, serviceId: string, serviceName: string, requestedAt: string, trigger: Record<string, unknown>) => ({
  type: 'DeploymentRequested',
  data: { deploymentId, serviceId, serviceName, projectId: 'p1', projectName: 'shop', requestedAt, trigger, waitsFor: [], dependents: [] },
});
const preview = { kind: 'preview', previewId: 'p1-pr-7', slug: 'pr-7', ref: 'abc1234' };

describe('a preview copy deployment, folded from its stream', () => {
  it('goes queued → deploying → live with its URL', () => {
    const events = [requested('d1', 's-web', 'web-pr-7', '2026-11-30T10:00:00.000Z', preview)];
    expect(foldPreviewDeployment(events)?.status).toBe('queued');
    events.push({ type: 'DeploymentStarted', data: { deploymentId: 'd1' } as never });
    expect(foldPreviewDeployment(events)?.status).toBe('deploying');
    events.push({ type: 'DeploymentSucceeded', data: { deploymentId: 'd1', url: 'https://web-pr-7-shop.example.test' } as never });
    expect(foldPreviewDeployment(events)).toEqual({
      deploymentId: 'd1',
      serviceId: 's-web',
      serviceName: 'web-pr-7',
      requestedAt: '2026-11-30T10:00:00.000Z',
      status: 'live',
      url: 'https://web-pr-7-shop.example.test',
    });
  });

  it('keeps why it failed or was blocked', () => {
    const base = requested('d1', 's-web', 'web-pr-7', '2026-11-30T10:00:00.000Z', preview);
    expect(foldPreviewDeployment([base, { type: 'DeploymentFailed', data: { reason: 'health check failed 3 times' } }])).toMatchObject({ status: 'failed', reason: 'health check failed 3 times' });
    expect(foldPreviewDeployment([base, { type: 'DeploymentBlocked', data: { reason: 'api failed' } }])).toMatchObject({ status: 'blocked', reason: 'api failed' });
    expect(foldPreviewDeployment([base, { type: 'DeploymentCancelled', data: {} }])?.status).toBe('cancelled');
  });

  it('is nothing for a deployment that is not a preview copy', () => {
    expect(foldPreviewDeployment([requested('d1', 's-web', 'web', '2026-11-30T10:00:00.000Z', { kind: 'manual' })])).toBeUndefined();
  });

  it('shows the latest of each service since the preview was (re)opened', () => {
    const at = (deploymentId: string, serviceId: string, requestedAt: string) => foldPreviewDeployment([requested(deploymentId, serviceId, serviceId, requestedAt, preview)])!;
    const latest = latestPerService(
      [at('old', 'web', '2026-11-30T09:00:00.000Z'), at('d1', 'web', '2026-11-30T10:00:00.000Z'), at('d2', 'web', '2026-11-30T11:00:00.000Z'), at('d3', 'api', '2026-11-30T10:00:00.000Z')],
      '2026-11-30T09:30:00.000Z',
    );
    expect(latest.map((d) => d.deploymentId)).toEqual(['d3', 'd2']);
  });
});

describe("the project's service sources", () => {
  const publicKey = generateKeyPairSync('x25519').publicKey.export({ type: 'spki', format: 'pem' }).toString();
  const sealed = sealFor('preview', 'tok', publicKey);
  const git = (url: string, credentials?: unknown) => ({ kind: 'git', url, ref: 'main', ...(credentials ? { credentials } : {}) });
  const created = (serviceId: string, name: string, source: unknown) => ({ type: 'ServiceCreated', data: { projectId: 'p1', serviceId, name, spec: { source } } });

  it('follows creation, source changes and deletion', () => {
    const sources = foldServiceSources([
      created('s1', 'web', git('https://git.example.test/acme/shop.git')),
      created('s2', 'db', { kind: 'image', ref: 'postgres:17' }),
      created('s3', 'old', git('https://git.example.test/acme/old')),
      { type: 'ServiceSourceChanged', data: { projectId: 'p1', serviceId: 's1', source: git('https://git.example.test/acme/shop2') } },
      { type: 'ServiceDeleted', data: { projectId: 'p1', serviceId: 's3' } },
    ]);
    expect([...sources.entries()]).toEqual([
      ['s1', { name: 'web', source: git('https://git.example.test/acme/shop2') }],
      ['s2', { name: 'db', source: { kind: 'image', ref: 'postgres:17' } }],
    ]);
  });

  it("comments with the preview token of a service built from the pull request's repository", () => {
    const sources = foldServiceSources([
      created('s1', 'web', git('https://git.example.test/acme/shop.git', { kind: 'token', token: sealed, previewToken: sealed })),
      created('s2', 'other', git('https://git.example.test/acme/other', { kind: 'token', token: sealed, previewToken: sealed })),
    ]);
    expect(commentTokenFor(sources, 'https://git.example.test/Acme/shop')).toEqual({ kind: 'token', serviceName: 'web', cloneUrl: 'https://git.example.test/acme/shop.git', previewToken: sealed });
  });

  it('says what to set when there is no token to comment with', () => {
    const repo = 'https://git.example.test/acme/shop';
    expect(commentTokenFor(foldServiceSources([created('s1', 'web', git(repo))]), repo)).toEqual({
      kind: 'missing',
      reason: 'Set a token on the git source of web so Slipway can comment on pull requests',
    });
    expect(commentTokenFor(foldServiceSources([created('s1', 'web', git(repo, { kind: 'token', token: sealed }))]), repo)).toEqual({
      kind: 'missing',
      reason: 'Set the token on the git source of web again so Slipway can comment on pull requests (it was set before previews)',
    });
    expect(commentTokenFor(foldServiceSources([]), repo).kind).toBe('missing');
  });
});
