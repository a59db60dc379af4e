import { randomUUID } from 'node:crypto';
import { readFileSync } from 'node:fs';
import Dockerode from 'dockerode';
import { connect, type NatsConnection, type Subscription } from '@nats-io/transport-node';
import { busCredentials } from '@slipway/messaging';
import { registryAuthHeader } from '@slipway/secret-box';
import {
  buildTestApp,
  caddyAdminGet,
  GitRepoFixture,
  infraEnv,
  nodeApp,
  nodeDockerfile,
  startPlatformProcess,
  startSignedInPlatform,
  waitUntil,
  type SignedInPlatform,
} from '@slipway/testing';

/**
 * Crash tests (issue 14): at each phase of a deployment — queued, building, rolling out, routing —
 * the whole control plane (one process, as `npm start` runs it) is killed with SIGKILL and started
 * again; then, with each service in a process of its own, the service that acts next in that phase
 * alone. The deployment must finish or end FAILED with a reason, leaving one Swarm service, one
 * image, one network and one route: nothing twice, nothing orphaned.
 */
type Deployment = { id: string; status: string; url: string | null; error: string | null; imageRef: string | null };
const FINAL = ['SUCCEEDED', 'FAILED', 'CANCELLED'];

const modes = [
  { mode: 'the whole control plane', oneProcess: true },
  { mode: 'one service alone', oneProcess: false },
];

describe.each(modes)('crashes: $mode killed (kill -9) at each phase of a deployment', ({ oneProcess }) => {
  const docker = new Dockerode();
  const project = `e2e-cr-${randomUUID().slice(0, 6)}`;
  const repo = new GitRepoFixture();
  const env = infraEnv();
  let platform: SignedInPlatform | undefined;
  let projectId: string;
  let nc: NatsConnection;
  let image: string;

  const gql = <T>(query: string, variables: Record<string, unknown> = {}) => platform!.api.request<T>(query, variables);
  const createService = async (name: string, source: object) =>
    (await gql<{ createService: { id: string } }>('mutation($i: CreateServiceInput!) { createService(input: $i) { id } }', {
      i: { projectId, name, port: 3000, healthCheckPath: '/healthz', source },
    })).createService.id;

  /**
   * Records every event from now on; `until(deploymentId, type)` resolves with the types seen for
   * that deployment once `type` is among them. Started before the request: the first phases follow
   * it within milliseconds.
   */
  const recordEvents = () => {
    const texts: string[] = [];
    let check = () => {};
    const sub: Subscription = nc.subscribe('platform.*.events.>', {
      callback: (_err, m) => {
        texts.push(new TextDecoder().decode(m.data));
        check();
      },
    });
    const until = (deploymentId: string, type: string, timeoutMs = 120_000) =>
      new Promise<string[]>((resolve, reject) => {
        const timer = setTimeout(() => reject(new Error(`no ${type} for ${deploymentId} within ${timeoutMs / 1000} s`)), timeoutMs);
        check = () => {
          const seen = texts.filter((t) => t.includes(deploymentId)).flatMap((t) => (JSON.parse(t) as { events: { type: string }[] }).events.map((e) => e.type));
          if (seen.includes(type)) {
            clearTimeout(timer);
            resolve(seen);
          }
        };
        check();
      }).finally(() => sub.unsubscribe());
    return { until };
  };

  /** SIGKILL the one process (or the one service's), wait until it is gone; start it again. */
  const crashAndRestart = async (service: string) => {
    if (!oneProcess) {
      const { processes } = platform!;
      const victim = processes.find((p) => p.name === service)!;
      process.kill(victim.pid, 'SIGKILL');
      await waitUntil(`the ${service} service to be gone`, () => !victim.alive(), 10_000);
      processes.splice(processes.indexOf(victim), 1, await startPlatformProcess(service));
      return;
    }
    const gateway = platform!.gateway;
    process.kill(gateway.pid, 'SIGKILL');
    await waitUntil('the control plane to be gone', () => !gateway.alive(), 10_000);
    await platform!.api.close().catch(() => undefined);
    platform!.https.close();
    platform = await startSignedInPlatform({ readyWithinMs: 90_000 });
  };

  const follow = async (id: string, timeoutMs = 180_000) => {
    let latest: Deployment | undefined;
    await waitUntil(`deployment ${id} to end`, async () => {
      latest = (await gql<{ deployment: Deployment }>('query($id: ID!) { deployment(id: $id) { id status url error imageRef } }', { id })).deployment;
      return FINAL.includes(latest.status);
    }, timeoutMs, 500).catch((err: Error) => {
      throw new Error(`${err.message} (still ${latest?.status})`);
    });
    return latest!;
  };

  /** Each route of Caddy's config whose match names the host. */
  const routesFor = async (host: string) => {
    const config = JSON.parse(await caddyAdminGet(readFileSync(env.CADDY_ADMIN_URL_FILE, 'utf8').trim(), '/config/')) as {
      apps?: { http?: { servers?: Record<string, { routes?: { match?: { host?: string[] }[] }[] }> } };
    };
    return Object.values(config.apps?.http?.servers ?? {}).flatMap((s) => s.routes ?? []).filter((r) => (r.match ?? []).some((m) => m.host?.includes(host))).length;
  };

  /** What one deployment of a new service should leave: one of each, or (failed) no route. */
  const leftBehind = async (serviceId: string, name: string) => ({
    services: (await docker.listServices({ filters: { label: [`slipway.service=${serviceId}`] } })).length,
    networks: (await docker.listNetworks({ filters: { label: [`slipway.project=${projectId}`] } })).length,
    routes: await routesFor(`${name}-${project}.localhost`),
  });

  beforeAll(async () => {
    image = await buildTestApp(docker, { registry: env.REGISTRY, repository: 'e2e-crash/app', version: `v1-${project}`, healthy: true });
    nc = await connect({ servers: env.NATS_URL, ...busCredentials('operator') });
    platform = await startSignedInPlatform({ readyWithinMs: 90_000, oneProcess });
    projectId = await platform.createProject(project);
  }, 300_000);

  afterAll(async () => {
    await platform?.stop();
    await nc?.close();
    repo.remove();
    if (process.env.E2E_KEEP) return;
    for (const s of await docker.listServices({ filters: { label: [`slipway.project=${projectId}`] } })) await docker.getService(s.ID).remove().catch(() => undefined);
  });

  // `service`: the one that acts next in the phase (quota reserves a queued deployment).
  const phases: { phase: string; killOn: string; service: string; name: string; source: () => object }[] = [
    { phase: 'queued', killOn: 'DeploymentRequested', service: 'quota', name: 'queued', source: () => ({ image: { ref: image } }) },
    { phase: 'building', killOn: 'BuildStarted', service: 'build', name: 'building', source: () => ({ git: { url: repo.url, ref: 'main' } }) },
    { phase: 'rolling out', killOn: 'DeploymentStarted', service: 'deploy', name: 'rolling', source: () => ({ image: { ref: image } }) },
    { phase: 'routing', killOn: 'DeploymentRolledOut', service: 'routing', name: 'routing', source: () => ({ image: { ref: image } }) },
  ];

  it.each(phases)('killed while $phase: the deployment ends, with one service, image, network and route', async ({ phase, killOn, service, name, source }) => {
    if (phase === 'building') repo.commit({ ...nodeApp('built'), Dockerfile: nodeDockerfile.replace('WORKDIR /app', 'WORKDIR /app\nRUN sleep 6') }, 'slow build');
    const serviceId = await createService(name, source());
    const events = recordEvents();
    const { deployService } = await gql<{ deployService: { id: string } }>('mutation($s: ID!) { deployService(serviceId: $s) { id } }', { s: serviceId });
    const seen = await events.until(deployService.id, killOn);
    const killedAt = Date.now();
    await crashAndRestart(service);
    const ended = await follow(deployService.id);
    console.log(`${oneProcess ? 'control plane' : service} killed while ${phase} (after ${seen.join(', ')}): ${ended.status} ${((Date.now() - killedAt) / 1000).toFixed(1)} s after the kill${ended.error ? ` — ${ended.error}` : ''}`);
    expect(FINAL).toContain(ended.status);
    if (ended.status !== 'SUCCEEDED') expect(ended.error ?? '').not.toBe('');
    const left = await leftBehind(serviceId, name);
    if (ended.status === 'SUCCEEDED') expect(left).toEqual({ services: 1, networks: 1, routes: 1 });
    else {
      // A first deployment that failed leaves no service and no route; the project's network may stay.
      expect({ services: left.services, routes: left.routes }).toEqual({ services: 0, routes: 0 });
      expect(left.networks).toBeLessThanOrEqual(1);
    }
    if (ended.status === 'SUCCEEDED' && phase === 'building') {
      // One image built: the registry repository holds the one tag this deployment runs.
      const tags = (await (await fetch(`http://${env.REGISTRY}/v2/${project}/${name}/tags/list`, { headers: registryAuthHeader('build') })).json()) as { tags: string[] | null };
      expect(tags.tags).toEqual([ended.imageRef!.split(':').pop()]);
    }
  }, 420_000);
});
