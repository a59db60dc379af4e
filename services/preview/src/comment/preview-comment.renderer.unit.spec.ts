import { commentDigest, commitStateOf, renderPreviewComment, type PreviewCommentView } from './preview-comment.renderer';
import type { ServiceDeployment } from './preview-deployments';

const sha = '3f2c9a1b7e4d5c6f7a8b9c0d1e2f3a4b5c6d7e8f';
const copy = (serviceName: string, status: ServiceDeployment['status'], more: Partial<ServiceDeployment> = {}): ServiceDeployment => ({
  deploymentId: `d-${serviceName}`,
  serviceId: `s-${serviceName}`,
  serviceName,
  requestedAt: '2026-11-30T10:00:00.000Z',
  status,
  ...more,
});
const running = (services: ServiceDeployment[]): PreviewCommentView => ({ status: 'running', headSha: sha, services });

describe('the preview comment', () => {
  it('is a table of the copies with their status and URL, under the head commit', () => {
    const body = renderPreviewComment(
      running([copy('api-pr-7', 'live', { url: 'https://api-pr-7-shop.example.test' }), copy('web-pr-7', 'deploying')]),
    );
    expect(body).toBe(
      [
        '### Slipway preview',
        '',
        'Head commit: `3f2c9a1b7e4d`',
        '',
        '| service | status | URL |',
        '|---|---|---|',
        '| api-pr-7 | ✅ live | <https://api-pr-7-shop.example.test> |',
        '| web-pr-7 | 🔨 deploying | — |',
      ].join('\n'),
    );
  });

  it('says why a copy failed, on one line, without breaking the table', () => {
    const body = renderPreviewComment(running([copy('web-pr-7', 'failed', { reason: 'npm ci failed |\n exit code 1' })]));
    expect(body.split('\n').at(-1)).toBe('| web-pr-7 | ❌ failed: npm ci failed \\| exit code 1 | — |');
  });

  it('says why a fork\'s preview waits', () => {
    const body = renderPreviewComment({ status: 'waiting', headSha: sha, services: [] });
    expect(body).toContain("From a fork: a project admin approves it in Slipway before it runs with the project's secrets");
    expect(body).not.toContain('| service |');
  });

  it('says it was removed, and why', () => {
    expect(renderPreviewComment({ status: 'destroyed', headSha: sha, reason: 'merged', services: [copy('web-pr-7', 'live')] })).toBe(
      '### Slipway preview\n\nThis preview was removed: the pull request was merged.',
    );
    expect(renderPreviewComment({ status: 'destroying', headSha: sha, reason: 'expired', services: [] })).toContain(
      'This preview is being removed: it was idle past its expiry.',
    );
  });

  it('renders the same preview to the same digest, and a change to another', () => {
    const a = renderPreviewComment(running([copy('web-pr-7', 'deploying')]));
    expect(commentDigest(a)).toBe(commentDigest(renderPreviewComment(running([copy('web-pr-7', 'deploying')]))));
    expect(commentDigest(a)).not.toBe(commentDigest(renderPreviewComment(running([copy('web-pr-7', 'live', { url: 'https://w.example.test' })]))));
  });
});

describe('the head commit status', () => {
  it('is pending while anything deploys, success when all are live, failure otherwise', () => {
    expect(commitStateOf(running([copy('a', 'live'), copy('b', 'queued')]))).toEqual({ state: 'pending', description: 'Deploying: 1 of 2 services live' });
    expect(commitStateOf(running([]))).toEqual({ state: 'pending', description: 'Deployments are being planned' });
    expect(commitStateOf(running([copy('a', 'live', { url: 'https://a.example.test' }), copy('b', 'live')]))).toEqual({
      state: 'success',
      description: 'All 2 services are live',
      targetUrl: 'https://a.example.test',
    });
    expect(commitStateOf(running([copy('a', 'live'), copy('b', 'blocked')]))).toEqual({ state: 'failure', description: '1 of 2 services did not deploy' });
  });

  it('is pending for a fork waiting for approval, and none once removed', () => {
    expect(commitStateOf({ status: 'waiting', headSha: sha, services: [] })?.state).toBe('pending');
    expect(commitStateOf({ status: 'destroyed', headSha: sha, reason: 'closed', services: [] })).toBeUndefined();
  });
});
