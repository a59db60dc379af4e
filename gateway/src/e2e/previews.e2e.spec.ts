import { createHmac, randomUUID } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import Dockerode from 'dockerode';
import { registryAuthHeader } from '@slipway/secret-box';
import { buildTestApp, caddyAdminGet, GiteaFixture, infraEnv, nodeApp, nodeDockerfile, startSignedInPlatform, waitUntil, type GiteaRepository, type SignedInPlatform } from '@slipway/testing';

/**
 * A pull request on a real git host (Gitea 1.26, its own signed deliveries) drives a preview of a
 * two-service project: `web` built from the repository at the pull request's head, `db` a copy of
 * its current image, on a network of their own. A push redeploys web with the new commit; closing
 * the pull request leaves nothing: no Swarm service, network, volume, route or registry image.
 */
const DEPLOYMENT = 'id serviceName status error url';
type Deployment = { id: string; serviceName: string; status: string; error: string | null; url: string | null };
const FINAL = ['SUCCEEDED', 'FAILED', 'CANCELLED', 'BLOCKED'];

const webApp = (version: string) => ({
  ...nodeApp(version),
  Dockerfile: nodeDockerfile,
});

describe('previews: a pull request on Gitea becomes a live preview of the whole project, and leaves nothing when closed', () => {
  const docker = new Dockerode();
  const env = infraEnv();
  const projectName = `pv-${randomUUID().slice(0, 6)}`;
  let platform: SignedInPlatform;
  let gitea: GiteaFixture;
  let repo: GiteaRepository;
  let projectId: string;
  let allowedBefore: string[] | null = null;
  let baseDomain: string;
  let number: number;
  let firstComment: number;
  const gql = <T>(query: string, variables: Record<string, unknown> = {}) => platform.api.request<T>(query, variables);
  const previewId = () => `${projectId}-pr-${number}`;
  const previewUrl = () => `https://web-pr-${number}-${projectName}.${baseDomain}/`;
  const body = async (url: string) => {
    const res = await platform.https.get(url, 3_000).catch(() => ({ status: 0, body: '' }));
    return res.status === 200 ? String(res.body) : '';
  };
  const leftovers = async () => ({
    services: (await docker.listServices({ filters: { label: [`slipway.preview=${previewId()}`] } })).map((s) => s.Spec?.Name),
    networks: (await docker.listNetworks({ filters: { name: [`slipway-${projectName}-pr-${number}`] } })).map((n) => n.Name),
    volumes: (((await docker.listVolumes({ filters: { label: [`slipway.preview=${previewId()}`] } } as never)) as unknown as { Volumes?: { Name: string }[] }).Volumes ?? []).map((v) => v.Name),
    images: await registryTags(`${projectName}/web-pr-${number}`),
    routes: (await caddyAdminGet(readFileSync(env.CADDY_ADMIN_URL_FILE, 'utf8').trim(), '/config/')).includes(`pr-${number}-${projectName}.`),
  });

  const registryTags = async (repository: string): Promise<string[]> => {
    const res = await fetch(`http://${env.REGISTRY}/v2/${repository}/tags/list`, { headers: registryAuthHeader('deploy') });
    return res.status === 404 ? [] : (((await res.json()) as { tags?: string[] | null }).tags ?? []);
  };
  /** The pull request's comments by Slipway (the admin is both author and Slipway's token here: the marker tells them apart). */
  const slipwayComments = async () => (await gitea.comments(repo, number)).filter((c) => c.body.includes('Slipway preview'));
  const commentSaying = (what: string, test: (body: string) => boolean) =>
    waitUntil(`the pull request's comment to ${what}`, async () => (await slipwayComments()).some((c) => test(c.body)), 120_000, 1_000);

  let secret: string;
  const PREVIEW = 'id status number fromFork reason services { name status url }';
  type Preview = { id: string; status: string; number: number; fromFork: boolean; reason: string | null; services: { name: string; status: string; url: string | null }[] };
  const preview = async (id: string) => (await gql<{ preview: Preview | null }>(`query($id: ID!) { preview(id: $id) { ${PREVIEW} } }`, { id })).preview;

  beforeAll(async () => {
    platform = await startSignedInPlatform();
    gitea = await GiteaFixture.start();
    const settings = await gql<{ instanceSettings: { allowedHttpGitHosts: string[] | null; baseDomain: string } }>('{ instanceSettings { allowedHttpGitHosts baseDomain } }');
    allowedBefore = settings.instanceSettings.allowedHttpGitHosts;
    baseDomain = settings.instanceSettings.baseDomain;
    const giteaHost = new URL(gitea.url).hostname;
    await gql('mutation($h: [String!]) { setInstanceSettings(allowedHttpGitHosts: $h) { allowedHttpGitHosts } }', { h: [...new Set([...(allowedBefore ?? []), giteaHost])] });

    repo = await gitea.createRepository('preview');
    await gitea.push(repo, 'main', webApp('main'), 'the web app');
    projectId = await platform.createProject(projectName);
    const dbImage = await buildTestApp(docker, { registry: env.REGISTRY, repository: 'slipway-test/preview-db', version: 'db', healthy: true });
    const create = (input: Record<string, unknown>) =>
      gql<{ createService: { id: string } }>('mutation($i: CreateServiceInput!) { createService(input: $i) { id } }', { i: { projectId, port: 3000, healthCheckPath: '/healthz', cpu: 0.1, memoryMb: 128, ...input } });
    const db = (await create({ name: 'db', source: { image: { ref: dbImage } } })).createService.id;
    // Its preview copy gets a volume of its own, which starts empty and goes with the preview.
    await gql('mutation($s: ID!) { addVolume(serviceId: $s, name: "data", mountPath: "/data") { id } }', { s: db });
    await create({ name: 'web', source: { git: { url: repo.cloneUrl, ref: 'main', token: gitea.token } }, dependsOn: [db] });
    // The preview level: preview copies get it over the project's own value, production never does.
    await gql('mutation($i: SetEnvVarInput!) { setEnvVar(input: $i) { vars { key } } }', { i: { projectId, key: 'STAGE', value: 'production' } });
    await gql('mutation($i: SetEnvVarInput!) { setEnvVar(input: $i) { vars { key } } }', { i: { projectId, key: 'STAGE', value: 'preview', preview: true } });
    const { deployProject } = await gql<{ deployProject: Deployment[] }>(`mutation($p: ID!) { deployProject(projectId: $p) { ${DEPLOYMENT} } }`, { p: projectId });
    await waitUntil('production to be deployed', async () => {
      const states = await Promise.all(deployProject.map(async (d) => (await gql<{ deployment: Deployment }>(`query($id: ID!) { deployment(id: $id) { ${DEPLOYMENT} } }`, { id: d.id })).deployment));
      const failed = states.find((s) => s.status !== 'SUCCEEDED' && FINAL.includes(s.status));
      if (failed) throw new Error(`production deployment of ${failed.serviceName} ended ${failed.status}: ${failed.error}`);
      return states.every((s) => s.status === 'SUCCEEDED');
    }, 300_000, 1_000);
    ({ rotateWebhookSecret: secret } = await gql<{ rotateWebhookSecret: string }>('mutation($p: ID!) { rotateWebhookSecret(projectId: $p) }', { p: projectId }));
    await gitea.addWebhook(repo, { url: `http://127.0.0.1:${platform.gateway.port}/webhooks/gitea`, secret, events: ['pull_request'] });
  }, 600_000);

  afterAll(async () => {
    if (!platform) return;
    await gql('mutation($id: ID!) { deleteProject(id: $id, deleteVolumes: true) }', { id: projectId }).catch(() => undefined);
    // Housekeeping: nothing of the project stays in Swarm once the platform stops.
    const label = [`slipway.project=${projectId}`];
    await waitUntil('the project gone from Swarm', async () => (await docker.listServices({ filters: { label } })).length + (await docker.listNetworks({ filters: { label } })).length === 0, 60_000, 250).catch(() => undefined);
    await gql('mutation($h: [String!]) { setInstanceSettings(allowedHttpGitHosts: $h) { allowedHttpGitHosts } }', { h: allowedBefore }).catch(() => undefined);
    if (repo) await gitea.deleteRepository(repo).catch(() => undefined);
    await gitea?.close();
    await platform?.stop();
  }, 120_000);

  it('opens: every service runs as a preview copy, web at the pull request head, reachable on its own hostname', async () => {
    await gitea.createBranch(repo, 'feature');
    await gitea.push(repo, 'feature', webApp('feature-1'), 'feature, first commit', 'feature');
    const started = Date.now();
    number = (await gitea.openPullRequest(repo, { head: 'feature', title: 'A new greeting' })).number;
    await waitUntil(`${previewUrl()} to serve the pull request's head`, async () => (await body(previewUrl())).includes('feature-1'), 300_000, 1_000);
    console.log(`preview serving ${((Date.now() - started) / 1000).toFixed(1)} s after the pull request was opened`);
    const services = (await docker.listServices({ filters: { label: [`slipway.preview=${previewId()}`] } })).map((s) => s.Spec?.Name).sort();
    expect(services).toEqual([`${projectName}-db-pr-${number}`, `${projectName}-web-pr-${number}`]);
    // Production is untouched.
    expect(await body(`https://web-${projectName}.${baseDomain}/`)).toContain('hello from main');
    // Each copy on the preview's own network, under its service's name.
    const [dbCopy] = await docker.listServices({ filters: { name: [`${projectName}-db-pr-${number}`] } });
    const networks = (dbCopy.Spec?.TaskTemplate as { Networks?: { Target: string; Aliases?: string[] }[] }).Networks ?? [];
    const previewNet = await docker.getNetwork(`slipway-${projectName}-pr-${number}`).inspect();
    expect(networks).toEqual([expect.objectContaining({ Target: previewNet.Id, Aliases: ['db'] })]);
    const envOf = async (name: string) => ((await docker.getService(name).inspect()).Spec?.TaskTemplate as { ContainerSpec?: { Env?: string[] } }).ContainerSpec?.Env ?? [];
    expect(await envOf(`${projectName}-web-pr-${number}`)).toContain('STAGE=preview');
    expect(await envOf(`${projectName}-web`)).toContain('STAGE=production');
    // One comment on the pull request, with each service's working URL, live.
    const webUrl = previewUrl().replace(/\/$/, '');
    await commentSaying('list both services live', (b) => b.includes(webUrl) && /\| db-pr-\d+ \| ✅ live/.test(b) && /\| web-pr-\d+ \| ✅ live/.test(b));
    const comments = await slipwayComments();
    expect(comments).toHaveLength(1);
    firstComment = comments[0].id;
    const listed = [...comments[0].body.matchAll(/<(https:[^>]+)>/g)].map((m) => m[1]);
    expect(listed).toHaveLength(2);
    // Each answers over HTTPS (web says its version, db its image's name).
    for (const url of listed) expect(await body(`${url}/`)).toMatch(/hello from feature-1|^db /);
  }, 400_000);

  it('a new push redeploys web with the new commit', async () => {
    const head = await gitea.push(repo, 'feature', webApp('feature-2'), 'feature, second commit', 'feature');
    await waitUntil(`${previewUrl()} to serve the new commit`, async () => (await body(previewUrl())).includes('feature-2'), 300_000, 1_000);
    // The same comment, edited in place, names the new head commit.
    await commentSaying('name the new head commit', (b) => b.includes(head.slice(0, 12)) && /\| web-pr-\d+ \| ✅ live/.test(b));
    expect((await slipwayComments()).map((c) => c.id)).toEqual([firstComment]);
  }, 400_000);

  it('closing the pull request tears everything down, and nothing is left', async () => {
    const started = Date.now();
    await gitea.closePullRequest(repo, number);
    await waitUntil('the preview to be gone', async () => {
      const left = await leftovers();
      return !left.services.length && !left.networks.length && !left.volumes.length && !left.images.length && !left.routes;
    }, 120_000, 500);
    console.log(`preview torn down ${((Date.now() - started) / 1000).toFixed(1)} s after the pull request was closed`);
    expect(await leftovers()).toEqual({ services: [], networks: [], volumes: [], images: [], routes: false });
    await commentSaying('say the preview was removed', (b) => b.includes('This preview was removed: the pull request was closed'));
    expect((await slipwayComments()).map((c) => c.id)).toEqual([firstComment]);
    // Production still serves.
    expect(await body(`https://web-${projectName}.${baseDomain}/`)).toContain('hello from main');
  }, 200_000);

  it("a fork's pull request waits for a project admin's approval, then runs; destroyPreview removes it", async () => {
    // Gitea's own delivery of a fork's pull request (fixture recorded from Gitea 1.26), pointed at this
    // repository: its head commit is on a branch here, as hosts keep a fork's pull request head in the base repository.
    const head = await gitea.push(repo, 'fork-work', webApp('from-a-fork'), 'a contribution', 'main');
    const { headers, body: payload } = JSON.parse(readFileSync(join(__dirname, '../webhooks/fixtures/gitea-1.26.0.pull_request.opened-fork.json'), 'utf8'));
    const forkNumber = 900 + Math.floor(Math.random() * 99);
    const full = `${repo.owner}/${repo.name}`;
    Object.assign(payload, { number: forkNumber });
    Object.assign(payload.repository, { full_name: full, clone_url: repo.cloneUrl });
    Object.assign(payload.pull_request, { number: forkNumber, title: 'From a fork', html_url: `${gitea.url}/${full}/pulls/${forkNumber}` });
    Object.assign(payload.pull_request.base.repo, { full_name: full, clone_url: repo.cloneUrl });
    Object.assign(payload.pull_request.head, { sha: head, ref: 'fork-work' });
    const text = JSON.stringify(payload);
    const res = await fetch(`http://127.0.0.1:${platform.gateway.port}/webhooks/gitea`, {
      method: 'POST',
      headers: { ...headers, 'content-type': 'application/json', 'x-gitea-delivery': randomUUID(), 'x-gitea-signature': createHmac('sha256', secret).update(text).digest('hex') },
      body: text,
    });
    expect(res.status).toBe(200);
    const id = `${projectId}-pr-${forkNumber}`;
    await waitUntil('the fork preview to wait for approval', async () => (await preview(id))?.status === 'WAITING_FOR_APPROVAL', 30_000, 500);
    expect(await preview(id)).toMatchObject({ fromFork: true, services: [] });
    // Nothing runs, nothing is built, while it waits.
    expect(await docker.listServices({ filters: { label: [`slipway.preview=${id}`] } })).toEqual([]);

    const approved = await gql<{ approvePreview: Preview }>(`mutation($id: ID!) { approvePreview(id: $id) { ${PREVIEW} } }`, { id });
    expect(approved.approvePreview.status).not.toBe('WAITING_FOR_APPROVAL');
    const url = `https://web-pr-${forkNumber}-${projectName}.${baseDomain}/`;
    await waitUntil(`${url} to serve the fork's commit`, async () => (await body(url)).includes('from-a-fork'), 300_000, 1_000);
    await waitUntil('the preview to be RUNNING', async () => (await preview(id))?.status === 'RUNNING', 60_000, 500);

    const destroyed = await gql<{ destroyPreview: Preview }>(`mutation($id: ID!) { destroyPreview(id: $id) { ${PREVIEW} } }`, { id });
    expect(['DESTROYING', 'DESTROYED']).toContain(destroyed.destroyPreview.status);
    await waitUntil('the fork preview to be DESTROYED', async () => (await preview(id))?.status === 'DESTROYED', 60_000, 500);
    expect(await docker.listServices({ filters: { label: [`slipway.preview=${id}`] } })).toEqual([]);
    expect(await docker.listNetworks({ filters: { name: [`slipway-${projectName}-pr-${forkNumber}`] } })).toEqual([]);
    expect((await preview(id))?.reason).toMatch(/destroyed/i);
  }, 400_000);
});
