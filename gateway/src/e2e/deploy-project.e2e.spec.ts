import { randomUUID } from 'node:crypto';
import Dockerode from 'dockerode';
import { buildTestApp, infraEnv, startSignedInPlatform, waitUntil, type GraphqlTestClient, type SignedInPlatform } from '@slipway/testing';

/**
 * deployProject against the real servers: services deploy in dependency order (a dependent's
 * build starts only after its dependency SUCCEEDED, independent ones at the same time), a failing
 * dependency leaves its dependents BLOCKED with nothing of theirs in Swarm, and a cascade.
 */
const DEPLOYMENT = 'id serviceId serviceName status error trigger waitingFor createdAt buildStartedAt rolloutStartedAt finishedAt';
type Deployment = {
  id: string;
  serviceId: string;
  serviceName: string;
  status: string;
  error: string | null;
  trigger: string;
  waitingFor: string[];
  createdAt: string;
  buildStartedAt: string | null;
  rolloutStartedAt: string | null;
  finishedAt: string | null;
};
const FINAL = ['SUCCEEDED', 'FAILED', 'CANCELLED', 'BLOCKED'];
const at = (iso: string | null) => Date.parse(iso ?? 'invalid');

describe('deployProject: dependency order, BLOCKED dependents, cascade', () => {
  let platform: SignedInPlatform;
  const docker = new Dockerode();
  const env = infraEnv();
  const suffix = randomUUID().slice(0, 6);
  const projectIds: string[] = [];
  let api: GraphqlTestClient;
  let healthy: string;
  let sick: string;

  const gql = <T>(query: string, variables: Record<string, unknown> = {}) => api.request<T>(query, variables);
  const deployment = async (id: string) => (await gql<{ deployment: Deployment }>(`query($id: ID!) { deployment(id: $id) { ${DEPLOYMENT} } }`, { id })).deployment;
  const untilEnded = async (ids: string[], timeoutMs = 240_000) => {
    const ended = new Map<string, Deployment>();
    const latest = new Map<string, Deployment>();
    await waitUntil('every deployment to end', async () => {
      for (const id of ids) if (!ended.has(id)) { const d = await deployment(id); latest.set(id, d); if (FINAL.includes(d.status)) ended.set(id, d); }
      return ended.size === ids.length;
    }, timeoutMs, 500).catch((err: Error) => {
      const deploy = platform.processes.find((p) => p.name.split(',').includes('deploy'));
      const states = [...latest.values()].map((d) => `${d.serviceName} ${d.status} ${d.error ?? ''}`).join('; ');
      throw new Error(`${err.message} (${states}); the deploy service said:\n${deploy?.output().split('\n').slice(-30).join('\n')}`);
    });
    return new Map([...ended.values()].map((d) => [d.serviceName, d]));
  };
  const createProject = async (name: string) => {
    const id = await platform.createProject(name);
    projectIds.push(id);
    return id;
  };
  const createService = async (projectId: string, name: string, image: string, dependsOn: string[] = []) =>
    (
      await gql<{ createService: { id: string } }>('mutation($i: CreateServiceInput!) { createService(input: $i) { id } }', {
        i: { projectId, name, port: 3000, healthCheckPath: '/healthz', cpu: 0.1, memoryMb: 128, source: { image: { ref: image } }, dependsOn },
      })
    ).createService.id;
  const deployProject = async (projectId: string) =>
    (await gql<{ deployProject: Deployment[] }>(`mutation($p: ID!) { deployProject(projectId: $p) { ${DEPLOYMENT} } }`, { p: projectId })).deployProject;
  const swarmOf = async (serviceId: string) => docker.listServices({ filters: { label: [`slipway.service=${serviceId}`] } });

  beforeAll(async () => {
    platform = await startSignedInPlatform();
    ({ api } = platform);
    [healthy, sick] = await Promise.all([
      buildTestApp(docker, { registry: env.REGISTRY, repository: 'slipway-test/deps-app', version: 'v1', healthy: true }),
      buildTestApp(docker, { registry: env.REGISTRY, repository: 'slipway-test/deps-app', version: 'sick', healthy: false }),
    ]);
  }, 300_000);

  afterAll(async () => {
    for (const id of projectIds) await gql('mutation($id: ID!) { deleteProject(id: $id) }', { id }).catch(() => undefined);
    // Housekeeping when a test failed before its project was deleted (not part of what is asserted).
    for (const id of projectIds) {
      const label = [`slipway.project=${id}`];
      const left = async () => (await docker.listServices({ filters: { label } })).length + (await docker.listNetworks({ filters: { label } })).length;
      // The network goes once Caddy has left it: the deploy service retries until then, so it must still run.
      await waitUntil('the project gone from Swarm', async () => (await left()) === 0, 90_000, 500).catch(
        async () => {
          for (const s of await docker.listServices({ filters: { label } })) await docker.getService(s.ID).remove().catch(() => undefined);
          for (const n of await docker.listNetworks({ filters: { label } })) await docker.getNetwork(n.Id).remove().catch(() => undefined);
        },
      );
    }
    await platform?.stop();
  });

  it('deploys db ← api ← web in order and an independent cache beside db; refuses a cycle and deleting a dependency; cascades', async () => {
    const projectId = await createProject(`deps-${suffix}`);
    const db = await createService(projectId, 'db', healthy);
    const cache = await createService(projectId, 'cache', healthy);
    const apiId = await createService(projectId, 'api', healthy, [db]);
    const web = await createService(projectId, 'web', healthy, [apiId]);

    await expect(gql('mutation($id: ID!, $d: [ID!]) { updateService(id: $id, input: { dependsOn: $d }) { id } }', { id: db, d: [web] })).rejects.toThrow(
      'they would wait for each other in a cycle (db → web → api → db)',
    );
    await expect(gql('mutation($id: ID!) { deleteService(id: $id) }', { id: db })).rejects.toThrow('Service db cannot be deleted: api depends on it');
    const { projects } = await gql<{ projects: { id: string; services: { name: string; dependsOn: string[] }[] }[] }>('{ projects { id services { name dependsOn } } }');
    expect(projects.find((p) => p.id === projectId)!.services.find((s) => s.name === 'web')!.dependsOn).toEqual([apiId]);

    const started = await deployProject(projectId);
    expect(started.map((d) => d.serviceName).sort()).toEqual(['api', 'cache', 'db', 'web']);
    expect(started.find((d) => d.serviceName === 'web')!.waitingFor).toEqual(['api']);
    expect(started.find((d) => d.serviceId === cache)!.waitingFor).toEqual([]);
    const ended = await untilEnded(started.map((d) => d.id));
    const [dbD, cacheD, apiD, webD] = ['db', 'cache', 'api', 'web'].map((n) => ended.get(n)!);
    expect([dbD, cacheD, apiD, webD].map((d) => [d.serviceName, d.status, d.error])).toEqual([
      ['db', 'SUCCEEDED', null],
      ['cache', 'SUCCEEDED', null],
      ['api', 'SUCCEEDED', null],
      ['web', 'SUCCEEDED', null],
    ]);
    // A dependent's build (and so its roll-out) starts only after its dependency SUCCEEDED.
    expect(at(apiD.buildStartedAt)).toBeGreaterThanOrEqual(at(dbD.finishedAt));
    expect(at(webD.buildStartedAt)).toBeGreaterThanOrEqual(at(apiD.finishedAt));
    expect(at(webD.rolloutStartedAt)).toBeGreaterThan(at(apiD.finishedAt));
    // Independent ones overlap: cache was under way while db was.
    expect(at(cacheD.buildStartedAt)).toBeLessThan(at(dbD.finishedAt));
    expect(at(dbD.buildStartedAt)).toBeLessThan(at(cacheD.finishedAt));
    console.log(
      'deployProject timeline (s from request):',
      [dbD, cacheD, apiD, webD].map((d) => `${d.serviceName} ${((at(d.buildStartedAt) - at(dbD.createdAt)) / 1000).toFixed(1)}–${((at(d.finishedAt) - at(dbD.createdAt)) / 1000).toFixed(1)}`).join(', '),
    );

    // Cascade: db redeploys its dependents (api), which does not cascade further (web stays).
    await gql('mutation($id: ID!) { updateService(id: $id, input: { redeployDependents: true }) { id } }', { id: db });
    const { deployService } = await gql<{ deployService: Deployment }>(`mutation($id: ID!) { deployService(serviceId: $id) { ${DEPLOYMENT} } }`, { id: db });
    await untilEnded([deployService.id]);
    const apiDeployments = async () => (await gql<{ deployments: Deployment[] }>(`query($s: ID!) { deployments(serviceId: $s) { ${DEPLOYMENT} } }`, { s: apiId })).deployments;
    await waitUntil('a cascade deployment of api to end', async () => {
      const [latest] = await apiDeployments();
      return latest.trigger === 'cascade' && FINAL.includes(latest.status);
    }, 180_000, 500);
    const [cascaded] = await apiDeployments();
    expect({ trigger: cascaded.trigger, status: cascaded.status }).toEqual({ trigger: 'cascade', status: 'SUCCEEDED' });
    const webDeployments = (await gql<{ deployments: Deployment[] }>(`query($s: ID!) { deployments(serviceId: $s) { id } }`, { s: web })).deployments;
    expect(webDeployments).toHaveLength(1);
  }, 600_000);

  it('leaves the dependents of a failing dependency BLOCKED, naming it, with nothing of theirs built or in Swarm', async () => {
    const projectId = await createProject(`depsfail-${suffix}`);
    const db = await createService(projectId, 'db', sick); // its health check answers 500
    const apiId = await createService(projectId, 'api', healthy, [db]);
    const web = await createService(projectId, 'web', healthy, [apiId]);
    const started = await deployProject(projectId);
    const ended = await untilEnded(started.map((d) => d.id));
    const [dbD, apiD, webD] = ['db', 'api', 'web'].map((n) => ended.get(n)!);
    expect(dbD.status).toBe('FAILED');
    expect(dbD.error).toMatch(/health/i);
    expect(apiD).toMatchObject({ status: 'BLOCKED', buildStartedAt: null, rolloutStartedAt: null, waitingFor: [] });
    expect(apiD.error).toBe(`Not deployed: its dependency db failed: ${dbD.error}`);
    expect(webD).toMatchObject({ status: 'BLOCKED', buildStartedAt: null, rolloutStartedAt: null });
    expect(webD.error).toMatch(/^Not deployed: its dependency api was blocked: Not deployed: its dependency db failed/);
    expect(await swarmOf(apiId)).toEqual([]);
    expect(await swarmOf(web)).toEqual([]);
  }, 600_000);
});
