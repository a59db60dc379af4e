import { randomUUID } from 'node:crypto';
import Dockerode from 'dockerode';
import { buildTestApp, infraEnv, startSignedInPlatform, waitUntil, type GraphqlTestClient, type HttpsTestClient, type SignedInPlatform } from '@slipway/testing';

/**
 * A service created without a port runs on its image's EXPOSE: the app listens only there (it
 * ignores PORT), so a page served over HTTPS proves the edge routes to that port. The deployment
 * says which port and why; a rollback takes the port of the deployment it restores.
 */
const DEPLOYMENT = 'id status url error port portReason';
type Deployment = { id: string; status: string; url: string | null; error: string | null; port: number | null; portReason: string | null };

describe('createService without a port: the image EXPOSE decides, and the deployment says so', () => {
  let platform: SignedInPlatform;
  const docker = new Dockerode();
  const env = infraEnv();
  const project = `port-${randomUUID().slice(0, 6)}`;
  let api: GraphqlTestClient;
  let https: HttpsTestClient;
  let projectId: string;
  let serviceId: string;

  const gql = <T>(query: string, variables: Record<string, unknown> = {}) => api.request<T>(query, variables);
  const ended = async (first: Deployment): Promise<Deployment> => {
    let latest = first;
    await waitUntil(`deployment ${first.id} to end`, async () => {
      latest = (await gql<{ deployment: Deployment }>(`query($id: ID!) { deployment(id: $id) { ${DEPLOYMENT} } }`, { id: first.id })).deployment;
      return ['SUCCEEDED', 'FAILED', 'CANCELLED'].includes(latest.status);
    }, 150_000, 250);
    return latest;
  };
  const deploy = async () => ended((await gql<{ deployService: Deployment }>(`mutation($id: ID!) { deployService(serviceId: $id) { ${DEPLOYMENT} } }`, { id: serviceId })).deployService);

  beforeAll(async () => {
    platform = await startSignedInPlatform();
    ({ api, https } = platform);
    projectId = (await gql<{ createProject: { id: string } }>(`mutation { createProject(input: { name: "${project}" }) { id } }`)).createProject.id;
  }, 120_000);

  afterAll(async () => {
    if (projectId) await gql('mutation($id: ID!) { deleteProject(id: $id, deleteVolumes: true) }', { id: projectId }).catch(() => undefined);
    await platform?.stop();
    for (const s of await docker.listServices({ filters: { label: [`slipway.project=${projectId}`] } })) await docker.getService(s.ID).remove().catch(() => undefined);
  });

  it('routes to the port the image EXPOSEs, and a rollback keeps the port of the deployment it restores', async () => {
    const image = await buildTestApp(docker, { registry: env.REGISTRY, repository: 'slipway-test/expose-app', version: 'e1', healthy: true, exposePort: 8080 });
    const { createService } = await gql<{ createService: { id: string; port: number | null } }>('mutation($i: CreateServiceInput!) { createService(input: $i) { id port } }', {
      i: { projectId, name: 'web', healthCheckPath: '/healthz', source: { image: { ref: image } } },
    });
    serviceId = createService.id;
    expect(createService.port).toBeNull();

    const first = await deploy();
    expect(first).toMatchObject({ status: 'SUCCEEDED', error: null, port: 8080, portReason: 'EXPOSE 8080 in the image' });
    let page = { status: 0, body: '' };
    await waitUntil('the app over HTTPS', async () => (page = await https.get(first.url!).catch(() => page)).status === 200, 30_000, 250);
    expect(page.body).toMatch(/^e1 /);

    const second = await deploy();
    expect(second).toMatchObject({ status: 'SUCCEEDED', port: 8080 });
    const { rollbackService } = await gql<{ rollbackService: Deployment }>(`mutation($s: ID!, $d: ID!) { rollbackService(serviceId: $s, toDeploymentId: $d) { ${DEPLOYMENT} } }`, { s: serviceId, d: first.id });
    const rollback = await ended(rollbackService);
    expect(rollback).toMatchObject({ status: 'SUCCEEDED', port: 8080, portReason: `as deployment ${first.id} ran (EXPOSE 8080 in the image)` });
  }, 400_000);
});
