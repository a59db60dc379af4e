import { generateKeyPairSync, randomUUID } from 'node:crypto';
import { connect, type NatsConnection } from '@nats-io/transport-node';
import { JetStreamEventStore, toEnvelopes, type StreamId } from '@slipway/event-store';
import type { CommandMetadata } from '@slipway/proto';
import { SecretOpener, sealFor } from '@slipway/secret-box';
import { exampleServiceSpec, GiteaFixture, startScratchNats, type GiteaRepository, type ScratchNats } from '@slipway/testing';
import { previewMarker } from '../git-host/git-host.client';
import { previews } from '../preview/preview.aggregate';
import { PreviewCommentPoster } from './comment-poster';
import { deploymentStream, PreviewDeploymentIndex } from './preview-deployments';

interface GiteaStatus {
  id: number;
  status: string;
  context: string;
  description: string;
  target_url: string;
}

const metadata = (): CommandMetadata => {
  const commandId = randomUUID();
  return { commandId, correlationId: commandId, actor: { kind: 'service', id: 'preview' }, now: new Date().toISOString() };
};

/**
 * The poster's core against a real Gitea and a JetStream of its own (the events here have made-up
 * ids: on the platform's server, deploy would act on them).
 */
describe('the preview comment poster against a real Gitea', () => {
  let gitea: GiteaFixture;
  let repo: GiteaRepository;
  let nats: ScratchNats;
  let nc: NatsConnection;
  let store: JetStreamEventStore;
  const keys = generateKeyPairSync('x25519');
  const publicKey = keys.publicKey.export({ type: 'spki', format: 'pem' }).toString();
  const opener = new SecretOpener('preview', keys.privateKey);

  beforeAll(async () => {
    gitea = await GiteaFixture.start();
    nats = await startScratchNats();
    nc = await connect({ servers: nats.url });
    store = await JetStreamEventStore.create(nc);
  }, 600_000); // a machine that has not built Gitea yet builds it here

  afterAll(async () => {
    if (repo) await gitea.deleteRepository(repo).catch(() => undefined);
    await gitea?.close();
    await nc?.close();
    await nats?.stop();
  });

  const append = (stream: StreamId, type: string, data: Record<string, unknown>) => store.append(stream, toEnvelopes(stream, [{ type, data }], metadata()), 'any');

  /** A project whose service `web` is built from the repository, with `token` (sealed for the preview service) on its git source. */
  const projectWith = async (projectId: string, token?: string) => {
    const credentials = token ? { kind: 'token', token: sealFor('build', token, publicKey), previewToken: sealFor('preview', token, publicKey) } : undefined;
    const spec = exampleServiceSpec({ source: { kind: 'git', url: repo.cloneUrl, ref: 'main', ...(credentials ? { credentials } : {}) } as never });
    await append({ context: 'project', aggregate: 'project', id: projectId }, 'ServiceCreated', { projectId, serviceId: `${projectId}-web`, name: 'web', spec });
  };

  const openPreview = async (projectId: string, number: number, headSha: string) => {
    const previewId = `${projectId}-pr-${number}`;
    const request = { previewId, projectId, slug: `pr-${number}`, number, title: 'Cart', provider: 'gitea' as const, htmlUrl: null, repositoryUrl: repo.cloneUrl, headRef: 'feature/cart', headSha, fromFork: false, approvalNeeded: false };
    const m = metadata();
    await previews.handle(store, previewId, { type: 'OpenPreview', data: { ...request, idleDays: 7, manual: false }, now: m.now }, m);
    return previewId;
  };

  it('writes one comment, edited in place only when it changed, and the head commit status', async () => {
    repo = await gitea.createRepository('preview-comment');
    const head = await gitea.push(repo, 'feature/cart', { 'index.js': 'console.log("cart");\n' }, 'Add the cart');
    const pr = await gitea.openPullRequest(repo, { head: 'feature/cart', title: 'Cart' });
    await gitea.comment(repo, pr.number, 'Looks good to me');

    await projectWith('shop', gitea.token);
    const previewId = await openPreview('shop', pr.number, head);
    const index = new PreviewDeploymentIndex(store);
    const poster = new PreviewCommentPoster({ store, openToken: (s) => opener.open(s), deploymentsOf: (id) => index.deploymentsOf(id) });

    const deploymentId = `d-${randomUUID().slice(0, 8)}`;
    await append(deploymentStream(deploymentId), 'DeploymentRequested', {
      deploymentId,
      serviceId: 'shop-web',
      projectId: 'shop',
      projectName: 'shop',
      serviceName: 'web-pr-1',
      requestedAt: new Date().toISOString(),
      trigger: { kind: 'preview', previewId, slug: `pr-${pr.number}`, ref: head },
      spec: exampleServiceSpec(),
      waitsFor: [],
      dependents: [],
    });
    expect(await poster.post(previewId, metadata())).toBe('posted');
    expect(await poster.post(previewId, metadata())).toBe('unchanged');

    const url = `https://web-pr-${pr.number}-shop.example.test`;
    await append(deploymentStream(deploymentId), 'DeploymentSucceeded', { deploymentId, url, finishedAt: new Date().toISOString() });
    expect(await poster.post(previewId, metadata())).toBe('posted');

    const marker = previewMarker('shop');
    const comments = await gitea.comments(repo, pr.number);
    expect(comments.map((c) => c.body)).toEqual([
      'Looks good to me',
      `${marker}\n### Slipway preview\n\nHead commit: \`${head.slice(0, 12)}\`\n\n| service | status | URL |\n|---|---|---|\n| web-pr-1 | ✅ live | <${url}> |`,
    ]);
    const ours = comments[1];

    const { state } = await previews.load(store, previewId);
    expect(state).toMatchObject({ commentId: String(ours.id) });
    const posted = (await store.read(previews.stream(previewId))).events.filter((e) => e.type === 'PreviewCommentPosted');
    expect(posted.map((e) => ({ commentId: e.data.commentId, headSha: e.data.headSha }))).toEqual([
      { commentId: String(ours.id), headSha: head },
      { commentId: String(ours.id), headSha: head },
    ]);

    const statuses = await gitea.api<GiteaStatus[]>('GET', `/repos/${repo.owner}/${repo.name}/commits/${head}/statuses`);
    expect([...statuses].sort((a, b) => b.id - a.id).map((s) => ({ state: s.status, context: s.context, description: s.description, url: s.target_url }))).toEqual([
      { state: 'success', context: 'slipway/preview', description: 'All 1 services are live', url },
      { state: 'pending', context: 'slipway/preview', description: 'Deploying: 0 of 1 services live', url: '' },
    ]);
  });

  it('records why it could not comment: no token, or the host refused it', async () => {
    repo ??= await gitea.createRepository('preview-comment');
    const index = new PreviewDeploymentIndex(store);
    const poster = new PreviewCommentPoster({ store, openToken: (s) => opener.open(s), deploymentsOf: (id) => index.deploymentsOf(id) });
    const failures = async (previewId: string) =>
      (await store.read(previews.stream(previewId))).events.filter((e) => e.type === 'PreviewCommentFailed').map((e) => e.data.reason);

    await projectWith('tokenless');
    const tokenless = await openPreview('tokenless', 1, 'a'.repeat(40));
    expect(await poster.post(tokenless, metadata())).toBe('failed');
    expect(await failures(tokenless)).toEqual(['Set a token on the git source of web so Slipway can comment on pull requests']);

    await projectWith('refused', 'not-a-gitea-token');
    const refused = await openPreview('refused', 1, 'b'.repeat(40));
    expect(await poster.post(refused, metadata())).toBe('failed');
    expect(await failures(refused)).toEqual(['Gitea refused the token (401): give a token with the write:repository and write:issue scopes']);
  });
});
