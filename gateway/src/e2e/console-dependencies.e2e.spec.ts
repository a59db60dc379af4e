import { randomUUID } from 'node:crypto';
import Dockerode from 'dockerode';
import type { Page } from 'playwright-core';
import { buildTestApp, infraEnv, screenshotBothWidths, startSignedInConsole, waitUntil, type GraphqlTestClient, type SignedInConsole } from '@slipway/testing';

/**
 * Dependencies and volumes from the console, in Debian's Chromium against the real platform: a
 * project of three image services made in the console's forms, web → api → db picked in its
 * dependency picker, db's health check failing; Deploy project leaves db failed and api and web
 * blocked, each naming why on the project page, the graph drawing both edges. Then a volume added
 * in the service's Volumes tab, listed, and measured once a deployment mounts it. Screenshots:
 * artifacts/screenshots/deps-*.png, at desktop and phone width.
 */
type Deployment = { id: string; serviceName: string; status: string; error: string | null };

describe('console: dependencies, Deploy project, BLOCKED and volumes, in a browser', () => {
  let ui: SignedInConsole;
  const docker = new Dockerode();
  const project = `depsui-${randomUUID().slice(0, 6)}`;
  const ids: Record<string, string> = {};
  let page: Page;
  let base: string;
  let api: GraphqlTestClient;
  let projectId = '';
  let healthy: string;
  let sick: string;

  const shot = (name: string) => screenshotBothWidths(page, `deps-${name}`);
  const gql = <T>(query: string, variables: Record<string, unknown> = {}) => api.request<T>(query, variables);
  const latest = async (serviceId: string) =>
    (await gql<{ deployments: Deployment[] }>('query($s: ID!) { deployments(serviceId: $s) { id serviceName status error } }', { s: serviceId })).deployments[0];
  /** The service's node in the project's graph. */
  const node = (name: string) => page.locator(`a[href="/services/${ids[name]}"]`);

  /** Fills the console's create form: an image, port 3000, /healthz, and the services it depends on. */
  const createInConsole = async (name: string, image: string, dependsOn: string[]) => {
    await page.goto(`${base}/projects/${projectId}`);
    await page.getByRole('button', { name: 'Create service' }).click();
    const form = page.getByRole('form', { name: 'Create service' });
    await form.getByLabel('Name', { exact: true }).fill(name);
    await form.getByLabel('Health check path').fill('/healthz');
    await form.getByText('Container image').click();
    await form.getByLabel('Image', { exact: true }).fill(image);
    for (const dependency of dependsOn) await form.getByRole('group', { name: 'Depends on' }).getByLabel(dependency, { exact: true }).check();
    if (name === 'web') await shot('create-form');
    await form.getByRole('button', { name: 'Create service' }).click();
    await page.waitForURL(/\/services\/[^/]+$/);
    ids[name] = new URL(page.url()).pathname.split('/').pop()!;
  };

  beforeAll(async () => {
    ui = await startSignedInConsole();
    ({ page, base } = ui);
    api = ui.platform.api;
    const registry = infraEnv().REGISTRY;
    [healthy, sick] = await Promise.all([
      buildTestApp(docker, { registry, repository: 'slipway-test/console-deps-app', version: 'v1', healthy: true }),
      buildTestApp(docker, { registry, repository: 'slipway-test/console-deps-app', version: 'sick', healthy: false }),
    ]);
  }, 300_000);

  afterAll(async () => {
    // Housekeeping (not part of what is asserted): the project, its Swarm services and its volumes.
    if (projectId) await api?.execute('mutation($id: ID!) { deleteProject(id: $id, deleteVolumes: true) }', { id: projectId }).catch(() => undefined);
    await ui?.stop();
  });

  it('creates the project and web → api → db in the console, the dependencies picked in the form', async () => {
    await page.goto(`${base}/`);
    await page.getByRole('form', { name: 'New project' }).getByLabel('New project').fill(project);
    await page.getByRole('button', { name: 'Create project' }).click();
    await page.waitForURL(/\/projects\/[^/]+$/);
    projectId = new URL(page.url()).pathname.split('/').pop()!;

    await createInConsole('db', sick, []); // its /healthz answers 500
    await createInConsole('api', healthy, ['db']);
    await createInConsole('web', healthy, ['api']);
    const { projects } = await gql<{ projects: { id: string; services: { id: string; name: string; dependsOn: string[] }[] }[] }>('{ projects { id services { id name dependsOn } } }');
    const dependsOn = Object.fromEntries(projects.find((p) => p.id === projectId)!.services.map((s) => [s.name, s.dependsOn]));
    expect(dependsOn).toEqual({ db: [], api: [ids.db], web: [ids.api] });
  }, 120_000);

  it('draws the graph with an edge from each service to what it depends on', async () => {
    await page.goto(`${base}/projects/${projectId}`);
    const edges = page.locator('svg path[data-testid="dependency-edge"]');
    await waitUntil('both edges drawn', async () => (await edges.count()) === 2, 10_000, 100);
    const drawn = await edges.evaluateAll((paths) => paths.map((p) => `${p.getAttribute('data-from')} → ${p.getAttribute('data-to')}`).sort());
    expect(drawn).toEqual(['api → db', 'web → api']);
    // Each edge is a real curve from one node to the other, not a point.
    const lengths = await edges.evaluateAll((paths) => paths.map((p) => (p as unknown as { getTotalLength(): number }).getTotalLength()));
    for (const length of lengths) expect(length).toBeGreaterThan(20);
  });

  it('deploys the project: db fails its health check, api and web end blocked, each naming its dependency', async () => {
    await page.getByRole('button', { name: 'Deploy project' }).click();
    await node('db').getByText('failed', { exact: true }).waitFor({ timeout: 300_000 });
    await node('api').getByText('blocked', { exact: true }).waitFor({ timeout: 30_000 });
    await node('web').getByText('blocked', { exact: true }).waitFor({ timeout: 30_000 });

    const [db, apiD, web] = await Promise.all(['db', 'api', 'web'].map((n) => latest(ids[n])));
    expect([db, apiD, web].map((d) => [d.serviceName, d.status])).toEqual([['db', 'FAILED'], ['api', 'BLOCKED'], ['web', 'BLOCKED']]);
    const shown = async (name: string) => (await node(name).getByTestId('service-error').textContent())?.trim();
    expect(db.error).toMatch(/health/i);
    expect(await shown('db')).toBe(db.error);
    expect(await shown('api')).toBe(`Not deployed: its dependency db failed: ${db.error}`);
    expect(await shown('web')).toMatch(/^Not deployed: its dependency api was blocked: Not deployed: its dependency db failed/);
    await page.getByText('3 services, 1 failed, 2 blocked').waitFor();
    await shot('project-blocked');
  }, 360_000);

  it('adds a volume in the Volumes tab and lists it, refusals in words next to their fields', async () => {
    await page.goto(`${base}/services/${ids.web}?tab=volumes`);
    const section = page.getByRole('region', { name: 'Volumes' });
    await section.getByText(/No volumes/).waitFor();
    const form = section.getByRole('form', { name: 'Add a volume' });
    await form.getByLabel('Volume name').fill('data');
    await form.getByLabel('Mount path').fill('/etc/app');
    await form.getByRole('button', { name: 'Add volume' }).click();
    await form.getByText(/^Mount path must not be a system directory/).waitFor();
    await form.getByLabel('Mount path').fill('/data');
    await form.getByRole('button', { name: 'Add volume' }).click();
    await form.getByRole('status').getByText('Added data at /data: the next deployment mounts it.').waitFor();
    const row = section.getByTestId('volume').filter({ hasText: 'data' });
    await row.getByText('/data', { exact: true }).waitFor();
    expect(await row.getByTestId('volume-size').textContent()).toBe('not created yet: the next deployment creates it');
    await shot('volumes');

    // The API refuses what only it can know (the name taken for another path), in words, next to the field.
    await form.getByLabel('Volume name').fill('data');
    await form.getByLabel('Mount path').fill('/srv/data');
    await form.getByRole('button', { name: 'Add volume' }).click();
    await form.getByText('Service web already has a volume named data, mounted at /data: remove it first, or choose another name').waitFor();
    expect(await form.getByLabel('Volume name').getAttribute('aria-invalid')).toBe('true');
    const listed = await gql<{ volumes: { name: string; mountPath: string; state: string }[] }>('query($s: ID!) { volumes(serviceId: $s) { name mountPath state } }', { s: ids.web });
    expect(listed.volumes).toEqual([{ name: 'data', mountPath: '/data', state: 'MOUNTED' }]);
    await section.getByRole('button', { name: 'Remove data' }).click();
    await page.getByRole('dialog').getByText(/Once that deployment has succeeded, the volume and all its data are deleted/).waitFor();
    await page.getByRole('dialog').getByRole('button', { name: 'Cancel' }).click();
  }, 60_000);

  it('once db is healthy, Deploy project deploys all three and the volume shows the size Docker measured', async () => {
    await gql('mutation($id: ID!, $r: String!) { updateService(id: $id, input: { source: { image: { ref: $r } } }) { id } }', { id: ids.db, r: healthy });
    await page.goto(`${base}/projects/${projectId}`);
    await page.getByRole('button', { name: 'Deploy project' }).click();
    for (const name of ['db', 'api', 'web']) await node(name).getByText('succeeded', { exact: true }).waitFor({ timeout: 300_000 });
    expect(await page.getByTestId('service-error').count()).toBe(0);
    await page.goto(`${base}/services/${ids.web}?tab=volumes`);
    const size = page.getByRole('region', { name: 'Volumes' }).getByTestId('volume-size');
    await waitUntil('a size measured by Docker', async () => {
      await page.getByRole('button', { name: 'Measure the sizes again' }).click();
      return /^\d+(\.\d)? (bytes|KB|MB)$/.test((await size.textContent()) ?? '');
    }, 30_000, 1_000);
    // The API says the same (Docker's df can be slow to answer: the list then comes without sizes, so ask again).
    type Measured = { dockerVolume: string | null; sizeBytes: number | null };
    let volumes: Measured[] = [];
    const measured = async () => (volumes = (await gql<{ volumes: Measured[] }>('query($s: ID!) { volumes(serviceId: $s) { dockerVolume sizeBytes } }', { s: ids.web })).volumes);
    await waitUntil('the API to measure it', async () => (await measured()).every((v) => v.sizeBytes != null), 30_000, 1_000);
    expect(volumes).toEqual([{ dockerVolume: `slipway.${projectId}.${ids.web}.data`, sizeBytes: expect.any(Number) }]);
    await shot('volumes-measured');
  }, 400_000);
});
