import { randomUUID } from 'node:crypto';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import Dockerode from 'dockerode';
import { registryAuthHeader } from '@slipway/secret-box';
import {
  buildTestApp,
  caddyAdminGet,
  GitRepoFixture,
  infraEnv,
  nodeApp,
  nodeDockerfile,
  startSignedInPlatform,
  waitUntil,
  type GraphqlTestClient,
  type HttpsTestClient,
  type SignedInPlatform,
} from '@slipway/testing';

/**
 * A service's life after its first deployment, through the API against the real servers: scale,
 * restart under load, stop (the stopped page over HTTPS), start, cancel a build, fix a bad git URL,
 * and delete — leaving nothing labelled with the project in Docker, Caddy or the registry.
 */
const DEPLOYMENT = 'id status url error imageRef';
type Deployment = { id: string; status: string; url: string | null; error: string | null; imageRef: string | null };
type SwarmTask = { ID: string; DesiredState: string; Status?: { State?: string } };

describe('service lifecycle: stop, start, restart, scale, cancel, update and delete', () => {
  let platform: SignedInPlatform;
  const docker = new Dockerode();
  const env = infraEnv();
  const project = `lc-${randomUUID().slice(0, 6)}`;
  const repo = new GitRepoFixture();
  let api: GraphqlTestClient;
  let https: HttpsTestClient;
  let projectId: string;
  let webId: string;
  let webUrl: string;

  const gql = <T>(query: string, variables: Record<string, unknown> = {}) => api.request<T>(query, variables);
  const deployment = async (id: string) => (await gql<{ deployment: Deployment }>(`query($id: ID!) { deployment(id: $id) { ${DEPLOYMENT} } }`, { id })).deployment;
  const deploy = async (serviceId: string, timeoutMs = 150_000): Promise<Deployment> => {
    const { deployService } = await gql<{ deployService: Deployment }>(`mutation($id: ID!) { deployService(serviceId: $id) { ${DEPLOYMENT} } }`, { id: serviceId });
    let latest = deployService;
    await waitUntil(`deployment ${deployService.id} to end`, async () => ['SUCCEEDED', 'FAILED', 'CANCELLED'].includes((latest = await deployment(deployService.id)).status), timeoutMs, 250);
    return latest;
  };
  const createService = async (input: Record<string, unknown>) =>
    (await gql<{ createService: { id: string } }>('mutation($i: CreateServiceInput!) { createService(input: $i) { id } }', { i: { projectId, ...input } })).createService.id;
  const swarmOf = async (serviceId: string) => docker.listServices({ filters: { label: [`slipway.service=${serviceId}`] } });
  const runningTasks = async (swarmName: string) =>
    ((await docker.listTasks({ filters: { service: [swarmName], 'desired-state': ['running'] } })) as SwarmTask[]).filter((t) => t.Status?.State === 'running');
  const registryTags = async (repository: string) => {
    const res = await fetch(`http://${env.REGISTRY}/v2/${repository}/tags/list`, { headers: registryAuthHeader('build') });
    return res.status === 404 ? [] : (((await res.json()) as { tags?: string[] | null }).tags ?? []);
  };

  beforeAll(async () => {
    platform = await startSignedInPlatform();
    ({ api, https } = platform);
    projectId = await platform.createProject(project);
    const image = await buildTestApp(docker, { registry: env.REGISTRY, repository: 'slipway-test/lifecycle-app', version: 'v1', healthy: true });
    webId = await createService({ name: 'web', port: 3000, healthCheckPath: '/healthz', source: { image: { ref: image } } });
    const first = await deploy(webId);
    expect({ status: first.status, error: first.error }).toEqual({ status: 'SUCCEEDED', error: null });
    webUrl = first.url!;
  }, 300_000);

  afterAll(async () => {
    await platform?.stop();
    repo.remove();
    // Housekeeping when a test failed before the deletion (not part of what is asserted).
    for (const s of await docker.listServices({ filters: { label: [`slipway.project=${projectId}`] } })) await docker.getService(s.ID).remove().catch(() => undefined);
  });

  it('scales now, without a new deployment', async () => {
    const before = (await gql<{ deployments: { id: string }[] }>('query($s: ID!) { deployments(serviceId: $s) { id } }', { s: webId })).deployments.length;
    const { scaleService } = await gql<{ scaleService: { replicas: number } }>('mutation($id: ID!) { scaleService(id: $id, replicas: 2) { replicas } }', { id: webId });
    expect(scaleService.replicas).toBe(2);
    await waitUntil('2 running tasks', async () => (await runningTasks(`${project}-web`)).length === 2, 30_000, 250);
    const after = (await gql<{ deployments: { id: string }[] }>('query($s: ID!) { deployments(serviceId: $s) { id } }', { s: webId })).deployments.length;
    expect(after).toBe(before);
    await expect(gql('mutation($id: ID!) { scaleService(id: $id, replicas: 11) { replicas } }', { id: webId })).rejects.toThrow(/1 to 10/);
  });

  it('restarts with new tasks on the same image while a client sending requests continuously sees zero failures', async () => {
    const swarm = `${project}-web`;
    const old = new Set((await runningTasks(swarm)).map((t) => t.ID));
    const imageBefore = ((await docker.getService(swarm).inspect()) as Dockerode.Service).Spec?.TaskTemplate as Dockerode.ContainerTaskSpec;
    const load = https.load(webUrl, 100, 30_000);
    await waitUntil('some traffic first', () => load.sentSoFar() >= 200, 10_000);
    await gql('mutation($id: ID!) { restartService(id: $id) { id } }', { id: webId });
    await waitUntil('every task replaced', async () => {
      const running = await runningTasks(swarm);
      const state = ((await docker.getService(swarm).inspect()) as Dockerode.Service).UpdateStatus?.State;
      return running.length === 2 && running.every((t) => !old.has(t.ID)) && state === 'completed';
    }, 90_000, 500);
    await waitUntil('2,000 requests', () => load.sentSoFar() >= 2_000, 60_000);
    const traffic = await load.stop();
    console.log(`restart under load: ${traffic.sent} requests at ${traffic.ratePerSecond.toFixed(0)}/s, ${traffic.failed} failed`);
    expect(traffic).toMatchObject({ failed: 0, failures: [] });
    const imageAfter = ((await docker.getService(swarm).inspect()) as Dockerode.Service).Spec?.TaskTemplate as Dockerode.ContainerTaskSpec;
    expect(imageAfter.ContainerSpec?.Image).toBe(imageBefore.ContainerSpec?.Image);
  }, 180_000);

  it('stops: no task runs and the hostname answers with the stopped page over HTTPS; a deployment is refused meanwhile', async () => {
    const { stopService } = await gql<{ stopService: { state: string } }>('mutation($id: ID!) { stopService(id: $id) { state } }', { id: webId });
    expect(stopService.state).toBe('STOPPED');
    await waitUntil('no running task', async () => (await runningTasks(`${project}-web`)).length === 0, 60_000, 250);
    let page = { status: 0, body: '', issuer: '' };
    await waitUntil('the stopped page', async () => (page = await https.get(webUrl)).status === 503, 15_000, 250);
    expect(page.body).toContain(`${new URL(webUrl).hostname} is stopped`);
    // Answered over TLS by a certificate the client trusts (Caddy's own CA for *.localhost): no TLS error.
    expect(page.issuer).toMatch(/Caddy Local Authority/);
    await expect(gql('mutation($id: ID!) { deployService(serviceId: $id) { id } }', { id: webId })).rejects.toThrow('Service web is stopped: start it, then deploy');
    await expect(gql('mutation($id: ID!) { restartService(id: $id) { id } }', { id: webId })).rejects.toThrow('Service web is stopped: start it instead of restarting it');
  }, 120_000);

  it('starts again with its replicas, on the image it ran', async () => {
    const { startService } = await gql<{ startService: { state: string; replicas: number } }>('mutation($id: ID!) { startService(id: $id) { state replicas } }', { id: webId });
    expect(startService).toEqual({ state: 'RUNNING', replicas: 2 });
    let res = { status: 0, body: '', issuer: '' };
    await waitUntil('the app to answer again', async () => (res = await https.get(webUrl)).status === 200, 60_000, 250);
    expect(res.body).toMatch(/^v1 /);
    await waitUntil('both replicas running', async () => (await runningTasks(`${project}-web`)).length === 2, 30_000, 250);
  }, 120_000);

  it('cancels a deployment while it builds: CANCELLED within 5 s, the build stopped, nothing left of it', async () => {
    const marker = `slow-${randomUUID().slice(0, 8)}`;
    repo.commit({ ...nodeApp('slow'), Dockerfile: nodeDockerfile.replace('WORKDIR /app', `WORKDIR /app\nRUN echo ${marker} && sleep 120`) }, 'slow build');
    const slowId = await createService({ name: 'slow', port: 3000, source: { git: { url: repo.url, ref: 'main' } } });
    const { deployService } = await gql<{ deployService: Deployment }>(`mutation($id: ID!) { deployService(serviceId: $id) { ${DEPLOYMENT} } }`, { id: slowId });
    const buildContainers = async () => (await docker.listContainers({ all: true })).filter((c) => c.Command.includes(marker));
    await waitUntil('the slow step to run', async () => (await buildContainers()).length > 0, 90_000, 250);
    const started = Date.now();
    const { cancelDeployment } = await gql<{ cancelDeployment: Deployment }>(`mutation($id: ID!) { cancelDeployment(id: $id) { ${DEPLOYMENT} } }`, { id: deployService.id });
    const seconds = (Date.now() - started) / 1000;
    console.log(`cancelled in ${seconds.toFixed(2)} s`);
    expect({ status: cancelDeployment.status, error: cancelDeployment.error }).toEqual({ status: 'CANCELLED', error: null });
    expect(seconds).toBeLessThanOrEqual(5);
    await waitUntil('the build container to be gone', async () => (await buildContainers()).length === 0, 15_000, 250);
    expect(await swarmOf(slowId)).toEqual([]);
    expect(await registryTags(`${project}/slow`)).toEqual([]);
    await expect(gql('mutation($id: ID!) { cancelDeployment(id: $id) { id } }', { id: deployService.id })).resolves.toBeDefined();
  }, 180_000);

  it('fixes a typo in a git URL (and renames the service) with updateService, then deploys', async () => {
    repo.commit({ ...nodeApp('fixed'), Dockerfile: nodeDockerfile }, 'fixed');
    const typoId = await createService({ name: 'typo', port: 3000, healthCheckPath: '/healthz', source: { git: { url: `${repo.url}-tpyo`, ref: 'main' } } });
    const broken = await deploy(typoId);
    expect(broken.status).toBe('FAILED');
    const { updateService } = await gql<{ updateService: { name: string; source: { url: string } } }>(
      'mutation($id: ID!, $i: UpdateServiceSettingsInput!) { updateService(id: $id, input: $i) { name source { url } } }',
      { id: typoId, i: { name: 'fixed', source: { git: { url: repo.url, ref: 'main' } } } },
    );
    expect(updateService).toEqual({ name: 'fixed', source: { url: repo.url } });
    await expect(
      gql('mutation($id: ID!, $i: UpdateServiceSettingsInput!) { updateService(id: $id, input: $i) { id } }', { id: typoId, i: { name: 'web' } }),
    ).rejects.toThrow(`Project ${project} already has a service named "web"`);
    const fixed = await deploy(typoId);
    expect({ status: fixed.status, error: fixed.error, url: fixed.url }).toEqual({ status: 'SUCCEEDED', error: null, url: `https://fixed-${project}.localhost` });
    expect((await https.get(fixed.url!)).body).toBe('hello from fixed\n');
  }, 300_000);

  it('deletes a service, then the project, leaving nothing labelled with it in Docker, Caddy or the registry; the history stays', async () => {
    const webHost = new URL(webUrl).hostname;
    expect(await gql('mutation($id: ID!) { deleteService(id: $id) }', { id: webId })).toEqual({ deleteService: webId });
    await waitUntil('the web service to be gone from Swarm', async () => (await swarmOf(webId)).length === 0, 60_000, 250);
    await waitUntil('its hostname to serve nothing of it', async () => (await https.get(`https://${webHost}/`).catch(() => ({ status: 0 }))).status !== 200, 30_000, 250);
    await expect(gql('mutation($id: ID!) { startService(id: $id) { id } }', { id: webId })).rejects.toThrow(`No service ${webId}`);

    expect(await gql('mutation($id: ID!, $v: Boolean) { deleteProject(id: $id, deleteVolumes: $v) }', { id: projectId, v: true })).toEqual({ deleteProject: projectId });
    const { projects } = await gql<{ projects: { id: string }[] }>('{ projects { id } }');
    expect(projects.map((p) => p.id)).not.toContain(projectId);

    const label = [`slipway.project=${projectId}`];
    await waitUntil('nothing of the project in Docker', async () => {
      const [services, containers, networks, volumes] = await Promise.all([
        docker.listServices({ filters: { label } }),
        docker.listContainers({ all: true, filters: { label } }),
        docker.listNetworks({ filters: { label } }),
        docker.listVolumes({ filters: { label } }),
      ]);
      const named = await docker.listNetworks({ filters: { name: [`slipway-${project}`] } });
      return services.length + containers.length + networks.length + (volumes.Volumes ?? []).length + named.length === 0;
    }, 90_000, 500);
    const images = (await docker.listImages()).flatMap((i) => [...(i.RepoTags ?? []), ...(i.RepoDigests ?? [])]);
    expect(images.filter((ref) => ref.startsWith(`${env.REGISTRY}/${project}/`))).toEqual([]);

    const caddyConfig = await caddyAdminGet(readFileSync(env.CADDY_ADMIN_URL_FILE, 'utf8').trim(), '/config/');
    expect(caddyConfig).not.toContain(`-${project}.`);
    const certificates = join(env.SLIPWAY_DATA_DIR, 'caddy', 'data', 'caddy', 'certificates');
    const certificatesOfProject = () =>
      (existsSync(certificates) ? readdirSync(certificates).flatMap((issuer) => readdirSync(join(certificates, issuer))) : []).filter((n) => n.includes(`-${project}.`));
    await waitUntil('no certificate of the project on disk', () => certificatesOfProject().length === 0, 10_000, 250).catch(() => expect(certificatesOfProject()).toEqual([]));

    for (const repository of [`${project}/web`, `${project}/fixed`, `${project}/typo`, `${project}/slow`]) expect(await registryTags(repository)).toEqual([]);
    const git = join(env.SLIPWAY_DATA_DIR, 'build', 'git', project);
    await waitUntil('no git cache of the project', () => !existsSync(git), 10_000, 250);

    // The history stays: the audit log still has every step, deletions included.
    const { auditLog } = await gql<{ auditLog: { entries: { type: string; projectId: string | null }[] } }>('{ auditLog(first: 200) { entries { type projectId } } }');
    const types = auditLog.entries.filter((e) => e.projectId === projectId).map((e) => e.type);
    expect(types).toEqual(
      expect.arrayContaining(['ServiceScaled', 'ServiceRestarted', 'ServiceStopped', 'ServiceStarted', 'ServiceRenamed', 'ServiceSourceChanged', 'ServiceDeleted', 'ProjectDeleted']),
    );
    // The name is free again.
    const again = (await gql<{ createProject: { id: string } }>(`mutation { createProject(input: { name: "${project}" }) { id } }`)).createProject.id;
    await gql('mutation($id: ID!) { deleteProject(id: $id) }', { id: again });
  }, 240_000);
});
