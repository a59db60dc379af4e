import { randomUUID } from 'node:crypto';
import Dockerode from 'dockerode';
import { connect, type NatsConnection } from '@nats-io/transport-node';
import { JetStreamEventStore } from '@slipway/event-store';
import {
  buildTestApp,
  GitRepoFixture,
  GraphqlTestClient,
  infraEnv,
  nodeApp,
  startPlatformProcess,
  startPlatformProcesses,
  waitUntil,
  type PlatformProcess,
} from '@slipway/testing';
import { busCredentials } from '@slipway/messaging';

/**
 * Every deployment ends: each phase is driven past its deadline by leaving out (or stalling) the
 * part that would end it, against the real services, and the deployment must end FAILED with a
 * reason that names the phase and what it waited for. The deadlines are seconds here (env of the
 * deploy service), minutes in production.
 */
type Deployment = { id: string; status: string; error: string | null };

describe('deployment deadlines: no deployment stays unfinished', () => {
  const docker = new Dockerode();
  const project = `e2e-dl-${randomUUID().slice(0, 6)}`;
  const repo = new GitRepoFixture();
  let processes: PlatformProcess[] = [];
  let api: GraphqlTestClient;
  let gateway: PlatformProcess;
  let projectId: string;
  let healthyImage: string;
  let sickImage: string;
  let nc: NatsConnection;

  /** The deploy service with these deadlines (seconds), plus the other services named. */
  const run = async (deadlines: Record<string, number>, services: string[]) => {
    await Promise.all(processes.map((p) => p.stop()));
    const env: Record<string, string> = { SLIPWAY_ROLLOUT_TIMEOUT_MS: '60000' };
    for (const [phase, s] of Object.entries(deadlines)) env[`SLIPWAY_DEADLINE_${phase.toUpperCase()}_S`] = String(s);
    processes = await startPlatformProcesses(['project', 'deploy', ...services], { env });
  };
  const service = async (name: string, source: object, healthCheckPath = '/healthz') =>
    (
      await api.request<{ createService: { id: string } }>(`mutation($i: CreateServiceInput!) { createService(input: $i) { id } }`, {
        i: { projectId, name, port: 3000, healthCheckPath, source },
      })
    ).createService.id;
  const deployToTheEnd = async (serviceId: string, timeoutMs = 60_000) => {
    const { deployService } = await api.request<{ deployService: { id: string } }>(`mutation($s: ID!) { deployService(serviceId: $s) { id } }`, { s: serviceId });
    let latest: Deployment = { id: deployService.id, status: 'QUEUED', error: null };
    await waitUntil(
      `deployment ${deployService.id} to end`,
      async () => {
        latest = (await api.request<{ deployment: Deployment }>(`query($id: ID!) { deployment(id: $id) { id status error } }`, { id: deployService.id })).deployment;
        return ['SUCCEEDED', 'FAILED', 'CANCELLED'].includes(latest.status);
      },
      timeoutMs,
      250,
    ).catch((err: Error) => {
      const deploy = processes.find((p) => p.name === 'deploy');
      throw new Error(`${err.message} (still ${latest.status}); the deploy service said:\n${deploy?.output().split('\n').slice(-30).join('\n')}`);
    });
    return latest;
  };

  beforeAll(async () => {
    [healthyImage, sickImage] = await Promise.all([
      buildTestApp(docker, { registry: infraEnv().REGISTRY, repository: 'e2e-deadlines/app', version: `ok-${project}`, healthy: true }),
      buildTestApp(docker, { registry: infraEnv().REGISTRY, repository: 'e2e-deadlines/app', version: `sick-${project}`, healthy: false }),
    ]);
    // Not "ready": the gateway's health wants every service, and each test runs only some.
    gateway = await startPlatformProcess('gateway', { waitForReady: false });
    api = new GraphqlTestClient(gateway.port);
    await waitUntil('the gateway to answer', async () => (await gateway.health()).status > 0, 30_000);
    await run({}, []);
    await waitUntil('the gateway to sign in', async () => Boolean(await api.signInAsOwner()), 30_000, 500);
    projectId = (await api.request<{ createProject: { id: string } }>(`mutation { createProject(input: { name: "${project}" }) { id } }`)).createProject.id;
    nc = await connect({ servers: infraEnv().NATS_URL, ...busCredentials('operator') });
  });

  afterAll(async () => {
    await api?.close();
    await Promise.all([...processes, gateway].filter(Boolean).map((p) => p.stop()));
    await nc?.close();
    repo.remove();
    if (process.env.E2E_KEEP) return;
    for (const s of await docker.listServices({ filters: { label: [`slipway.project=${projectId}`] } })) await docker.getService(s.ID).remove();
  });

  it('queue: no build service picks the deployment up', async () => {
    await run({ queue: 3 }, []);
    const deployment = await deployToTheEnd(await service('queued', { image: { ref: healthyImage } }));
    expect(deployment.status).toBe('FAILED');
    expect(deployment.error).toMatch(/^Timed out in the queue phase: waited 3 s \(since .+\) for its resources to be reserved and a build to start: are the quota and build services running\?/);
  });

  it('build: a build that takes longer than its deadline ends, and the build is stopped', async () => {
    repo.commit({ ...nodeApp('slow'), Dockerfile: 'FROM node:24-bookworm-slim\nRUN sleep 120\nCOPY server.js /app/server.js\nCMD ["node", "/app/server.js"]\n' }, 'slow');
    await run({ queue: 120, build: 6 }, ['quota', 'build']);
    const started = Date.now();
    const deployment = await deployToTheEnd(await service('slow-build', { git: { url: repo.url, ref: 'main' } }));
    expect(deployment.status).toBe('FAILED');
    expect(deployment.error).toMatch(/^Timed out in the build phase: waited 6 s \(since .+\) for the build to finish\. Last seen: “.+”\./);
    expect(Date.now() - started).toBeLessThan(60_000);
    // The build itself is stopped, not left running for its own 600 s limit.
    const store = await JetStreamEventStore.create(nc);
    await waitUntil('the build to be stopped', async () => (await store.read({ context: 'build', aggregate: 'build', id: deployment.id })).events.some((e) => e.type === 'BuildFailed'), 30_000);
  });

  it('roll-out: a version that never becomes healthy ends at the roll-out deadline', async () => {
    await run({ rollout: 5 }, ['quota', 'build']);
    const deployment = await deployToTheEnd(await service('never-healthy', { image: { ref: sickImage } }));
    expect(deployment.status).toBe('FAILED');
    expect(deployment.error).toMatch(/^Timed out in the roll-out phase: waited 5 s .* for the new version to run and pass its health check\./);
  });

  it('route: with no routing service, a rolled-out deployment ends at the route deadline, and no route is made for it later', async () => {
    await run({ route: 4 }, ['quota', 'build']);
    const serviceId = await service('unrouted', { image: { ref: healthyImage } });
    const deployment = await deployToTheEnd(serviceId, 120_000);
    expect(deployment.status).toBe('FAILED');
    expect(deployment.error).toMatch(/^Timed out in the route phase: waited 4 s .* for its domains to point at the new version\./);
    // Routing comes back: it must not route the given-up version.
    processes.push(await startPlatformProcess('routing'));
    const store = await JetStreamEventStore.create(nc);
    await new Promise((r) => setTimeout(r, 5_000));
    expect((await store.read({ context: 'routing', aggregate: 'route', id: serviceId })).events).toEqual([]);
  });

  it('a pipeline step that gave up (a dead letter) fails its deployment at once, with the step and its error', async () => {
    await run({}, []); // no quota or build service: the deployment waits in the queue
    const serviceId = await service('dead-lettered', { image: { ref: healthyImage } });
    const { deployService } = await api.request<{ deployService: { id: string } }>(`mutation($s: ID!) { deployService(serviceId: $s) { id } }`, { s: serviceId });
    const store = await JetStreamEventStore.create(nc);
    // What the store itself appends when a consumer gives up on an event (libs/event-store dead-letter.ts).
    await store.append({ context: 'system', aggregate: 'dead-letter', id: 'quota-on-deployment-requested' }, [
      {
        id: randomUUID(),
        type: 'EventDeadLettered',
        version: 1,
        aggregateId: 'quota-on-deployment-requested',
        occurredAt: new Date().toISOString(),
        correlationId: deployService.id,
        causationId: deployService.id,
        actor: { kind: 'service', id: 'quota-on-deployment-requested' },
        data: {
          consumer: 'quota-on-deployment-requested',
          eventId: randomUUID(),
          eventType: 'DeploymentRequested',
          subject: `platform.deploy.events.deployment.${deployService.id}`,
          attempts: 5,
          error: 'the quota store did not answer',
        },
      },
    ], 'any');
    let latest: Deployment | undefined;
    await waitUntil('the deployment to fail', async () => {
      latest = (await api.request<{ deployment: Deployment }>(`query($id: ID!) { deployment(id: $id) { id status error } }`, { id: deployService.id })).deployment;
      return latest.status === 'FAILED';
    }, 20_000, 250);
    expect(latest!.error).toBe('Reserving its resources gave up after 5 attempt(s): the quota store did not answer. Fix the cause, then deploy again.');
  });
});
