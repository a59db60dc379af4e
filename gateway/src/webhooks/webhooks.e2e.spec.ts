import { createHmac, randomUUID } from 'node:crypto';
import examples from '@octokit/webhooks-examples';
import { connect, type NatsConnection } from '@nats-io/transport-node';
import { JetStreamEventStore } from '@slipway/event-store';
import { GraphqlTestClient, infraEnv, startPlatformProcess, startPlatformProcesses, waitUntil, type PlatformProcess } from '@slipway/testing';
import { busCredentials } from '@slipway/messaging';

/**
 * Signed webhooks from GitHub (its own payload examples), GitLab and Gitea (their documented
 * shapes) against the real gateway and services: push-to-deploy, pull requests, and refusals.
 */
const pushToMaster = examples.find((e) => e.name === 'push')!.examples.find((e) => (e as { ref: string }).ref === 'refs/heads/master')! as Record<string, unknown>;
const pullRequest = examples.find((e) => e.name === 'pull_request')!.examples[0] as Record<string, unknown>;
const sign = (secret: string, body: string) => `sha256=${createHmac('sha256', secret).update(body).digest('hex')}`;

describe('webhooks: push-to-deploy and pull requests', () => {
  const processes: PlatformProcess[] = [];
  let api: GraphqlTestClient;
  let base: string;
  let nc: NatsConnection;
  let store: JetStreamEventStore;
  let projectId: string;
  let serviceId: string;
  let secret: string;

  const post = async (provider: string, body: string, headers: Record<string, string>) => {
    const res = await fetch(`${base}/webhooks/${provider}`, { method: 'POST', headers: { 'content-type': 'application/json', ...headers }, body });
    return { status: res.status, body: (await res.json()) as Record<string, unknown> };
  };
  const github = (event: string, body: string, options: { secret?: string; delivery?: string } = {}) =>
    post('github', body, {
      'x-github-event': event,
      'x-github-delivery': options.delivery ?? randomUUID(),
      'x-hub-signature-256': sign(options.secret ?? secret, body),
    });
  const deploymentsOf = async () => {
    const events = await store.readAll({ context: 'deploy', aggregate: 'deployment' });
    // The pull request below opens a preview, whose copies are deployments too: only the pushes' count here.
    return events.filter((e) => e.type === 'DeploymentRequested' && e.data.serviceId === serviceId && (e.data.trigger as { kind: string }).kind !== 'preview');
  };

  beforeAll(async () => {
    processes.push(...(await startPlatformProcesses(['project', 'deploy', 'preview'])));
    const gateway = await startPlatformProcess('gateway', { waitForReady: false });
    processes.push(gateway);
    base = `http://127.0.0.1:${gateway.port}`;
    api = new GraphqlTestClient(gateway.port);
    await waitUntil('the gateway to answer', async () => (await fetch(`${base}/health`)).status > 0, 30_000);
    await api.signInAsOwner();
    nc = await connect({ servers: infraEnv().NATS_URL, ...busCredentials('operator') });
    store = await JetStreamEventStore.create(nc);
    const name = `hook-${randomUUID().slice(0, 6)}`;
    projectId = (await api.request<{ createProject: { id: string } }>(`mutation { createProject(input: { name: "${name}" }) { id } }`)).createProject.id;
    serviceId = (
      await api.request<{ createService: { id: string } }>(`mutation($i: CreateServiceInput!) { createService(input: $i) { id } }`, {
        // The repository of GitHub's examples, spelled the SSH way: URLs are compared however spelled.
        i: { projectId, name: 'web', port: 3000, source: { git: { url: 'git@github.com:Codertocat/Hello-World.git', ref: 'master' } } },
      })
    ).createService.id;
    secret = (await api.request<{ rotateWebhookSecret: string }>(`mutation { rotateWebhookSecret(projectId: "${projectId}") }`)).rotateWebhookSecret;
  });

  afterAll(async () => {
    await api?.close();
    await Promise.all(processes.map((p) => p.stop()));
    await nc?.close();
  });

  it("passes GitHub's push to a tracked branch: one deployment of exactly the pushed commit, once per delivery", async () => {
    const body = JSON.stringify(pushToMaster);
    const delivery = randomUUID();
    const first = await github('push', body, { delivery });
    expect(first.status).toBe(200);
    expect(first.body.deployments).toHaveLength(1);
    await waitUntil('the deployment', async () => (await deploymentsOf()).length === 1);
    const [requested] = await deploymentsOf();
    expect(requested.data).toMatchObject({ trigger: { kind: 'push', commitSha: (pushToMaster as { after: string }).after } });
    expect(requested.actor).toEqual({ kind: 'system', id: 'webhook:github' });

    expect(await github('push', body, { delivery })).toEqual({ status: 200, body: { duplicate: true, delivery } });
    await new Promise((r) => setTimeout(r, 500));
    expect(await deploymentsOf()).toHaveLength(1);
  });

  it('refuses a bad or missing signature with 401 and does nothing', async () => {
    const body = JSON.stringify(pushToMaster);
    expect((await github('push', body, { secret: 'not-the-secret' })).status).toBe(401);
    expect((await post('github', body, { 'x-github-event': 'push', 'x-github-delivery': randomUUID() })).status).toBe(401);
    await new Promise((r) => setTimeout(r, 300));
    expect(await deploymentsOf()).toHaveLength(1);
  });

  it('answers ping 200, ignores other events with 202, and refuses bodies over 5 MB with 413', async () => {
    expect((await github('ping', JSON.stringify({ zen: 'Keep it logically awesome.', hook_id: 1 }))).status).toBe(200);
    expect((await github('star', JSON.stringify({ ...pushToMaster, action: 'created' }))).status).toBe(202);
    const huge = JSON.stringify({ ...pushToMaster, padding: 'x'.repeat(5 * 1024 * 1024 + 1) });
    expect((await github('push', huge)).status).toBe(413);
  });

  it('records a pull request event for the preview service', async () => {
    const body = JSON.stringify(pullRequest);
    const res = await github('pull_request', body);
    expect(res.status).toBe(200);
    const number = (pullRequest as { number: number }).number;
    const stream = { context: 'preview', aggregate: 'pull-request', id: `${projectId}-pr-${number}` } as const;
    await waitUntil('PullRequestReceived', async () => (await store.read(stream)).events.length === 1);
    expect((await store.read(stream)).events[0].data).toMatchObject({ projectId, provider: 'github', number, action: (pullRequest as { action: string }).action });
    // It opened a preview: the copy's deployment waits for a build (no build service runs here) ...
    const copies = async () =>
      (await store.readAll({ context: 'deploy', aggregate: 'deployment' })).filter((e) => e.type === 'DeploymentRequested' && (e.data.trigger as { previewId?: string }).previewId === `${projectId}-pr-${number}`);
    await waitUntil("the preview copy's deployment", async () => (await copies()).length === 1);
    // ... and closing the pull request ends it, cancelled, with the preview.
    const closed = JSON.stringify({ ...pullRequest, action: 'closed', pull_request: { ...(pullRequest.pull_request as object), merged: false } });
    expect((await github('pull_request', closed)).status).toBe(200);
    const [copy] = await copies();
    const ended = async () => (await store.read({ context: 'deploy', aggregate: 'deployment', id: copy.aggregateId })).events.map((e) => e.type);
    await waitUntil('the copy cancelled', async () => (await ended()).includes('DeploymentCancelled'), 20_000);
  });

  it('deploys on GitLab (token) and Gitea (HMAC) pushes in their documented shapes', async () => {
    const gitlab = JSON.stringify({
      object_kind: 'push',
      ref: 'refs/heads/master',
      checkout_sha: 'da1560886d4f094c3e6c9ef40349f7d38b5d27d7',
      project: { git_http_url: 'https://github.com/Codertocat/Hello-World.git' },
    });
    expect((await post('gitlab', gitlab, { 'x-gitlab-event': 'Push Hook', 'x-gitlab-token': 'wrong', 'x-gitlab-event-uuid': randomUUID() })).status).toBe(401);
    expect((await post('gitlab', gitlab, { 'x-gitlab-event': 'Push Hook', 'x-gitlab-token': secret, 'x-gitlab-event-uuid': randomUUID() })).status).toBe(200);

    const gitea = JSON.stringify({
      ref: 'refs/heads/master',
      after: '0123456789abcdef0123456789abcdef01234567',
      repository: { clone_url: 'https://github.com/Codertocat/Hello-World.git' },
    });
    const signature = createHmac('sha256', secret).update(gitea).digest('hex');
    expect((await post('gitea', gitea, { 'x-gitea-event': 'push', 'x-gitea-signature': signature, 'x-gitea-delivery': randomUUID() })).status).toBe(200);
    await waitUntil('three deployments', async () => (await deploymentsOf()).length === 3);
    expect((await deploymentsOf()).map((e) => (e.data.trigger as { commitSha: string }).commitSha)).toEqual(
      expect.arrayContaining(['da1560886d4f094c3e6c9ef40349f7d38b5d27d7', '0123456789abcdef0123456789abcdef01234567']),
    );
  });

  describe('security: a webhook without a delivery id is refused', () => {
    it('answers 400 naming the missing header, for each git host, and deploys nothing', async () => {
      const before = (await deploymentsOf()).length;
      const push = JSON.stringify(pushToMaster);
      const githubPush = await post('github', push, { 'x-github-event': 'push', 'x-hub-signature-256': sign(secret, push) });
      expect(githubPush).toEqual({ status: 400, body: { error: expect.stringMatching(/^The X-GitHub-Delivery header is missing/) } });

      const gitlab = JSON.stringify({ object_kind: 'push', ref: 'refs/heads/master', checkout_sha: 'b'.repeat(40), project: { git_http_url: 'https://github.com/Codertocat/Hello-World.git' } });
      const gitlabPush = await post('gitlab', gitlab, { 'x-gitlab-event': 'Push Hook', 'x-gitlab-token': secret });
      expect(gitlabPush).toEqual({ status: 400, body: { error: expect.stringMatching(/^The X-Gitlab-Event-UUID header \(or Idempotency-Key\) is missing/) } });

      const gitea = JSON.stringify({ ref: 'refs/heads/master', after: 'c'.repeat(40), repository: { clone_url: 'https://github.com/Codertocat/Hello-World.git' } });
      const giteaPush = await post('gitea', gitea, { 'x-gitea-event': 'push', 'x-gitea-signature': createHmac('sha256', secret).update(gitea).digest('hex') });
      expect(giteaPush).toEqual({ status: 400, body: { error: expect.stringMatching(/^The X-Gitea-Delivery header \(or X-Forgejo-Delivery\) is missing/) } });

      await new Promise((r) => setTimeout(r, 500));
      expect(await deploymentsOf()).toHaveLength(before);
    });
  });
});
