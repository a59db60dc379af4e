import { randomUUID } from 'node:crypto';
import Dockerode from 'dockerode';
import { buildTestApp, infraEnv, startSignedInPlatform, waitUntil, type GraphqlTestClient, type HttpsTestClient, type SignedInPlatform } from '@slipway/testing';

/**
 * Named volumes through the API against the real servers: a service writes a file into its
 * volume, is redeployed on a new image, restarted and stopped and started, and reads it back; the
 * volume is listed with Docker's size; a removed volume goes once the next deployment no longer
 * mounts it; deleteService(deleteVolumes: false) keeps the data, deleteProject(true) removes it.
 */
const DEPLOYMENT = 'id status url error';
type Deployment = { id: string; status: string; url: string | null; error: string | null };
type Volume = { name: string; mountPath: string; dockerVolume: string | null; sizeBytes: number | null; state: string };

describe('volumes: kept across deployments, listed with their size, removed only on request', () => {
  let platform: SignedInPlatform;
  const docker = new Dockerode();
  const env = infraEnv();
  const project = `vol-${randomUUID().slice(0, 6)}`;
  let api: GraphqlTestClient;
  let https: HttpsTestClient;
  let projectId: string;
  let webId: string;
  let webUrl: string;
  const images: Record<string, string> = {};

  const gql = <T>(query: string, variables: Record<string, unknown> = {}) => api.request<T>(query, variables);
  const deploy = async (serviceId: string): Promise<Deployment> => {
    const { deployService } = await gql<{ deployService: Deployment }>(`mutation($id: ID!) { deployService(serviceId: $id) { ${DEPLOYMENT} } }`, { id: serviceId });
    let latest = deployService;
    await waitUntil(`deployment ${deployService.id} to end`, async () => {
      latest = (await gql<{ deployment: Deployment }>(`query($id: ID!) { deployment(id: $id) { ${DEPLOYMENT} } }`, { id: deployService.id })).deployment;
      return ['SUCCEEDED', 'FAILED', 'CANCELLED'].includes(latest.status);
    }, 150_000, 250);
    expect({ status: latest.status, error: latest.error }).toEqual({ status: 'SUCCEEDED', error: null });
    return latest;
  };
  const volumes = async (serviceId: string): Promise<Volume[]> =>
    (await gql<{ volumes: Volume[] }>('query($s: ID!) { volumes(serviceId: $s) { name mountPath dockerVolume sizeBytes state } }', { s: serviceId })).volumes;
  const addVolume = (name: string, mountPath: string) =>
    gql<{ addVolume: { id: string } }>('mutation($s: ID!, $n: String!, $m: String!) { addVolume(serviceId: $s, name: $n, mountPath: $m) { id } }', { s: webId, n: name, m: mountPath });
  const dockerVolume = (name: string) => `slipway.${projectId}.${webId}.${name}`;
  const volumeExists = async (name: string) => ((await docker.listVolumes({ filters: { name: [name] } })).Volumes ?? []).some((v) => v.Name === name);
  const readFile = async (name: string) => {
    let res = { status: 0, body: '' };
    await waitUntil(`the app to answer /files/${name}`, async () => (res = await https.get(new URL(`/files/${name}`, webUrl).toString()).catch(() => res)).status === 200, 60_000, 250);
    return res.body;
  };

  beforeAll(async () => {
    platform = await startSignedInPlatform();
    ({ api, https } = platform);
    projectId = (await gql<{ createProject: { id: string } }>(`mutation { createProject(input: { name: "${project}" }) { id } }`)).createProject.id;
    for (const version of ['v1', 'v2']) images[version] = await buildTestApp(docker, { registry: env.REGISTRY, repository: 'slipway-test/volumes-app', version, healthy: true });
    const { createService } = await gql<{ createService: { id: string } }>('mutation($i: CreateServiceInput!) { createService(input: $i) { id } }', {
      i: { projectId, name: 'web', port: 3000, healthCheckPath: '/healthz', source: { image: { ref: images.v1 } } },
    });
    webId = createService.id;
  }, 300_000);

  afterAll(async () => {
    await platform?.stop();
    // Housekeeping when a test failed before the deletion (not part of what is asserted).
    for (const s of await docker.listServices({ filters: { label: [`slipway.project=${projectId}`] } })) await docker.getService(s.ID).remove().catch(() => undefined);
  });

  it('refuses a mount path or name it cannot use, in plain words', async () => {
    await expect(addVolume('data', 'data')).rejects.toThrow(/absolute path, like \/data/);
    await expect(addVolume('data', '/proc')).rejects.toThrow(/system directory/);
    await expect(addVolume('data', '/')).rejects.toThrow(/whole filesystem/);
    await expect(addVolume('data', '/srv/../etc')).rejects.toThrow(/"\.\."/);
    await expect(addVolume('My_Data', '/data')).rejects.toThrow(/lower-case letters, digits and "-"/);
    await expect(addVolume('data', '/proc')).rejects.not.toThrow(/Command|input\.|data\./);
  });

  it('keeps a file the service wrote across a redeploy on a new image, a restart and a stop and start', async () => {
    await addVolume('data', '/data');
    webUrl = (await deploy(webId)).url!;
    const content = `kept ${randomUUID()}`;
    const put = await https.get(new URL('/files/note.txt', webUrl).toString(), 10_000, { method: 'PUT', body: content });
    expect(put.status).toBe(201);
    expect(await readFile('note.txt')).toBe(content);

    await gql('mutation($id: ID!, $r: String!) { updateService(id: $id, input: { source: { image: { ref: $r } } }) { id } }', { id: webId, r: images.v2 });
    await deploy(webId);
    await waitUntil('v2 to serve', async () => (await https.get(webUrl)).body.startsWith('v2 '), 60_000, 250);
    expect(await readFile('note.txt')).toBe(content);

    await gql('mutation($id: ID!) { restartService(id: $id) { id } }', { id: webId });
    const updateState = async () => ((await docker.getService(`${project}-web`).inspect()) as Dockerode.Service).UpdateStatus?.State;
    await waitUntil('the restart to complete', async () => (await updateState()) === 'completed', 90_000, 500);
    expect(await readFile('note.txt')).toBe(content);
    await gql('mutation($id: ID!) { stopService(id: $id) { id } }', { id: webId });
    await waitUntil('the stopped page', async () => (await https.get(webUrl)).status === 503, 60_000, 250);
    await gql('mutation($id: ID!) { startService(id: $id) { id } }', { id: webId });
    expect(await readFile('note.txt')).toBe(content);
  }, 400_000);

  it('lists the volume with the size Docker measured', async () => {
    let listed: Volume[] = [];
    await waitUntil('a size', async () => (listed = await volumes(webId)).some((v) => (v.sizeBytes ?? 0) > 0), 30_000, 500);
    expect(listed).toEqual([{ name: 'data', mountPath: '/data', dockerVolume: dockerVolume('data'), sizeBytes: expect.any(Number), state: 'MOUNTED' }]);
    const inspected = await docker.getVolume(dockerVolume('data')).inspect();
    expect(inspected.Labels).toMatchObject({ 'slipway.project': projectId, 'slipway.service': webId, 'slipway.volume': 'data' });
  }, 60_000);

  it('detaches a removed volume at the next deployment and then deletes it from Docker', async () => {
    await addVolume('cache', '/srv/cache');
    await deploy(webId);
    expect(await volumeExists(dockerVolume('cache'))).toBe(true);
    await gql('mutation($s: ID!) { removeVolume(serviceId: $s, name: "cache") { id } }', { s: webId });
    expect((await volumes(webId)).find((v) => v.name === 'cache')?.state).toBe('REMOVING');
    await deploy(webId);
    await waitUntil('the removed volume to be deleted', async () => !(await volumeExists(dockerVolume('cache'))), 60_000, 500);
    expect((await volumes(webId)).map((v) => v.name)).toEqual(['data']);
    expect(await readFile('note.txt')).toMatch(/^kept /);
  }, 400_000);

  it('keeps the volume when the service is deleted with deleteVolumes: false; deleting the project with true removes it, leaving nothing', async () => {
    await gql('mutation($id: ID!) { deleteService(id: $id, deleteVolumes: false) }', { id: webId });
    await waitUntil('the Swarm service to go', async () => (await docker.listServices({ filters: { label: [`slipway.service=${webId}`] } })).length === 0, 60_000, 250);
    await new Promise((resolve) => setTimeout(resolve, 3_000)); // a wrong removal would have had its chance
    expect(await volumeExists(dockerVolume('data'))).toBe(true);

    await gql('mutation($id: ID!) { deleteProject(id: $id, deleteVolumes: true) }', { id: projectId });
    const label = [`slipway.project=${projectId}`];
    await waitUntil('nothing of the project in Docker', async () => {
      const [services, containers, volumesLeft] = await Promise.all([
        docker.listServices({ filters: { label } }),
        docker.listContainers({ all: true, filters: { label } }),
        docker.listVolumes({ filters: { label } }),
      ]);
      const named = await docker.listNetworks({ filters: { name: [`slipway-${project}`] } });
      return services.length + containers.length + (volumesLeft.Volumes ?? []).length + named.length === 0;
    }, 90_000, 500);
    expect(await volumeExists(dockerVolume('data'))).toBe(false);
  }, 200_000);
});
