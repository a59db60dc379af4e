import { execFileSync } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { join } from 'node:path';
import Dockerode from 'dockerode';
import {
  buildTestApp,
  edgeRoots,
  GitRepoFixture,
  HttpsTestClient,
  infraEnv,
  nodeApp,
  nodeDockerfile,
  repoRoot,
  startPlatformProcess,
  startSignedInPlatform,
  waitUntil,
  type GraphqlTestClient,
  type SignedInPlatform,
} from '@slipway/testing';

/**
 * Restarts, as a team meets them in its first week: the control plane stopped and started under a
 * live app (which must keep answering throughout), a control plane killed mid-build, and the
 * whole infrastructure brought down and up. After each, deploying works again.
 */
type Deployment = { id: string; status: string; url: string | null; error: string | null };
const script = (name: string, ...args: string[]) =>
  execFileSync('bash', [join(repoRoot, 'infra/scripts', name), ...args], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'], timeout: 600_000 });

describe('restarts: every deployment ends, apps keep serving', () => {
  const docker = new Dockerode();
  const project = `e2e-rs-${randomUUID().slice(0, 6)}`;
  const repo = new GitRepoFixture();
  let controlPlane: SignedInPlatform | undefined;
  let api: GraphqlTestClient;
  // Its own client, not the control plane's: it keeps sending while the control plane is down.
  let https: HttpsTestClient;
  let projectId: string;
  let webId: string;
  const images: Record<string, string> = {};

  const startControlPlane = async () => {
    // A process per service: one test kills the build service alone.
    controlPlane = await startSignedInPlatform({ readyWithinMs: 90_000, oneProcess: false });
    ({ api } = controlPlane);
  };
  const stopControlPlane = async () => controlPlane?.stop();
  const deploy = async (serviceId: string, timeoutMs = 180_000) => {
    const { deployService } = await api.request<{ deployService: { id: string } }>(`mutation($s: ID!) { deployService(serviceId: $s) { id } }`, { s: serviceId });
    return follow(deployService.id, timeoutMs);
  };
  const follow = async (id: string, timeoutMs = 180_000) => {
    let latest: Deployment = { id, status: '?', url: null, error: null };
    await waitUntil(
      `deployment ${id} to end`,
      async () => {
        latest = (await api.request<{ deployment: Deployment }>(`query($id: ID!) { deployment(id: $id) { id status url error } }`, { id })).deployment;
        return ['SUCCEEDED', 'FAILED', 'CANCELLED'].includes(latest.status);
      },
      timeoutMs,
      500,
    ).catch((err: Error) => {
      throw new Error(`${err.message} (still ${latest.status})`);
    });
    return latest;
  };
  const useImage = (serviceId: string, ref: string) =>
    api.request(`mutation($s: ID!, $i: UpdateServiceSettingsInput!) { updateServiceSettings(serviceId: $s, input: $i) { id } }`, { s: serviceId, i: { source: { image: { ref } } } });

  beforeAll(async () => {
    const registry = infraEnv().REGISTRY;
    for (const v of ['v1', 'v2', 'v3']) images[v] = await buildTestApp(docker, { registry, repository: `e2e-restart/app`, version: `${v}-${project}`, healthy: true });
    await startControlPlane();
    projectId = await controlPlane!.createProject(project);
    webId = (
      await api.request<{ createService: { id: string } }>(`mutation($i: CreateServiceInput!) { createService(input: $i) { id } }`, {
        i: { projectId, name: 'web', port: 3000, healthCheckPath: '/healthz', source: { image: { ref: images.v1 } } },
      })
    ).createService.id;
  }, 300_000);

  afterAll(async () => {
    https?.close();
    await stopControlPlane();
    repo.remove();
    if (process.env.E2E_KEEP) return;
    for (const s of await docker.listServices({ filters: { label: [`slipway.project=${projectId}`] } })) await docker.getService(s.ID).remove();
  });

  it('keeps the app answering while the whole control plane (NATS and FerretDB too) stops and starts, then deploys again', async () => {
    const first = await deploy(webId);
    expect(first).toMatchObject({ status: 'SUCCEEDED', url: `https://web-${project}.localhost`, error: null });
    https = new HttpsTestClient(await edgeRoots());
    expect((await https.get(first.url!)).body).toMatch(/^v1-/);

    const load = https.load(first.url!, 20, 100_000);
    await stopControlPlane();
    script('ferretdb.sh', 'stop');
    script('nats.sh', 'stop');
    await new Promise((r) => setTimeout(r, 3_000)); // nothing of the control plane runs now
    script('nats.sh', 'start');
    script('ferretdb.sh', 'start');
    await startControlPlane();
    const served = await load.stop();
    console.log(`during the control plane's restart: ${served.sent} requests, ${served.failed} failed`);
    expect(served.sent).toBeGreaterThan(100);
    expect(served).toMatchObject({ failed: 0, failures: [] });

    await useImage(webId, images.v2);
    const second = await deploy(webId);
    expect(second).toMatchObject({ status: 'SUCCEEDED', error: null });
    expect((await https.get(second.url!)).body).toMatch(/^v2-/);
  });

  it('resumes a build whose build service was killed (kill -9) mid-build, and ends it', async () => {
    repo.commit({ ...nodeApp('resumed'), Dockerfile: nodeDockerfile.replace('WORKDIR /app', 'WORKDIR /app\nRUN sleep 8') }, 'slow');
    const builtId = (
      await api.request<{ createService: { id: string } }>(`mutation($i: CreateServiceInput!) { createService(input: $i) { id } }`, {
        i: { projectId, name: 'built', port: 3000, healthCheckPath: '/healthz', source: { git: { url: repo.url, ref: 'main' } } },
      })
    ).createService.id;
    const { deployService } = await api.request<{ deployService: { id: string } }>(`mutation($s: ID!) { deployService(serviceId: $s) { id } }`, { s: builtId });
    await waitUntil('the build to start', async () => {
      const { deployment } = await api.request<{ deployment: Deployment }>(`query($id: ID!) { deployment(id: $id) { id status } }`, { id: deployService.id });
      return deployment.status === 'BUILDING';
    }, 60_000, 200);
    const { processes } = controlPlane!;
    const build = processes.find((p) => p.name === 'build')!;
    process.kill(build.pid, 'SIGKILL');
    await waitUntil('the build service to be gone', () => !build.alive(), 10_000);
    const killedAt = Date.now();
    processes.splice(processes.indexOf(build), 1, await startPlatformProcess('build'));
    const ended = await follow(deployService.id, 180_000);
    console.log(`the killed build ended ${ended.status} ${((Date.now() - killedAt) / 1000).toFixed(1)} s after the kill`);
    expect(ended).toMatchObject({ status: 'SUCCEEDED', error: null });
    expect((await https.get(ended.url!)).body).toBe('hello from resumed\n');
  });

  it('deploys after the whole infrastructure went down (down.sh) and came back (up.sh); the app is served again', async () => {
    await stopControlPlane();
    script('down.sh');
    script('up.sh');
    await startControlPlane();
    https.close();
    https = new HttpsTestClient(await edgeRoots());
    const url = `https://web-${project}.localhost`;
    // The apps come back with Docker: served again without a deployment.
    await waitUntil('the app to be served again', async () => (await https.get(url, 3_000)).body.startsWith('v2-'), 120_000, 1_000);
    await useImage(webId, images.v3);
    const third = await deploy(webId);
    expect(third).toMatchObject({ status: 'SUCCEEDED', error: null });
    expect((await https.get(third.url!)).body).toMatch(/^v3-/);
  });
});
