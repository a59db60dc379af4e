import { join } from 'node:path';
import { randomUUID } from 'node:crypto';
import Dockerode from 'dockerode';
import { chromium, type Browser, type Page } from 'playwright-core';
import {
  buildTestApp,
  GitRepoFixture,
  infraEnv,
  startPlatformProcess,
  startSignedInPlatform,
  waitUntil,
  type GraphqlTestClient,
  type HttpsTestClient,
  type SignedInPlatform,
  screenshotBothWidths,
  SCREENSHOTS_DIR,
} from '@slipway/testing';

/**
 * A service's life, driven from the console in Debian's Chromium against the real platform: stop
 * (the badge, and the hostname's stopped page), start, scale, restart, cancel a queued deployment,
 * fix a bad git URL in the edit form, delete a service by typing its name, delete the project.
 * Each result is checked through the API too. Screenshots: artifacts/screenshots/lifecycle-*.png,
 * at desktop and phone width.
 */
type ServiceRow = { id: string; name: string; state: string; replicas: number; source: { url: string | null } };

describe('console: stop, start, scale, restart, cancel, edit and delete, in a browser', () => {
  let platform: SignedInPlatform;
  const docker = new Dockerode();
  const repo = new GitRepoFixture();
  const project = `lcui-${randomUUID().slice(0, 6)}`;
  let browser: Browser;
  let page: Page;
  let base: string;
  let api: GraphqlTestClient;
  let https: HttpsTestClient;
  let projectId: string;
  let webId: string;
  let webUrl: string;
  let typoId: string;

  const shot = (name: string, fullPage = true) => screenshotBothWidths(page, `lifecycle-${name}`, fullPage);
  const gql = <T>(query: string, variables: Record<string, unknown> = {}) => api.request<T>(query, variables);
  const serviceOf = async (id: string) =>
    (await gql<{ projects: { services: ServiceRow[] }[] }>('{ projects { services { id name state replicas source { url } } } }')).projects.flatMap((p) => p.services).find((s) => s.id === id);
  const deploymentStatus = async (id: string) => (await gql<{ deployment: { status: string } }>('query($id: ID!) { deployment(id: $id) { status } }', { id })).deployment.status;
  const auditTypes = async () =>
    (await gql<{ auditLog: { entries: { type: string; projectId: string | null }[] } }>('{ auditLog(first: 100) { entries { type projectId } } }')).auditLog.entries
      .filter((e) => e.projectId === projectId)
      .map((e) => e.type);

  beforeAll(async () => {
    browser = await chromium.launch({
      executablePath: '/usr/bin/chromium',
      args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--no-first-run'],
    });
    // A process per service: a test stops the build service alone.
    platform = await startSignedInPlatform({ oneProcess: false });
    ({ api, https } = platform);
    base = `http://127.0.0.1:${platform.gateway.port}`;
    projectId = await platform.createProject(project);
    const image = await buildTestApp(docker, { registry: infraEnv().REGISTRY, repository: 'slipway-test/lifecycle-app', version: 'v1', healthy: true });
    webId = (
      await gql<{ createService: { id: string } }>('mutation($i: CreateServiceInput!) { createService(input: $i) { id } }', {
        i: { projectId, name: 'web', port: 3000, healthCheckPath: '/healthz', source: { image: { ref: image } } },
      })
    ).createService.id;
    const { deployService } = await gql<{ deployService: { id: string } }>('mutation($s: ID!) { deployService(serviceId: $s) { id } }', { s: webId });
    await waitUntil('the first deployment to succeed', async () => (await deploymentStatus(deployService.id)) === 'SUCCEEDED', 150_000, 500);
    webUrl = (await gql<{ deployment: { url: string } }>('query($id: ID!) { deployment(id: $id) { url } }', { id: deployService.id })).deployment.url;
    page = await browser.newPage({ viewport: { width: 1280, height: 800 } });
    await page.context().addCookies([{ name: 'slipway_session', value: platform.ownerToken, url: base, httpOnly: true, sameSite: 'Strict' }]);
  }, 300_000);

  afterAll(async () => {
    // Housekeeping when a test failed before the deletion (not part of what is asserted).
    if (projectId) await api?.execute('mutation($id: ID!) { deleteProject(id: $id) }', { id: projectId }).catch(() => undefined);
    await browser?.close();
    await platform?.stop();
    repo.remove();
  });

  it('stops from the service page: a stopped badge there and in the project, and the hostname shows the stopped page', async () => {
    await page.goto(`${base}/services/${webId}`);
    await page.getByRole('group', { name: 'Service actions' }).waitFor();
    await shot('service-running');
    await page.getByRole('button', { name: 'Stop', exact: true }).click();
    await page.getByRole('dialog').getByRole('button', { name: 'Stop service' }).waitFor();
    await shot('stop-dialog', false);
    await page.getByRole('dialog').getByRole('button', { name: 'Stop service' }).click();
    await page.getByTestId('service-state').getByText('stopped').waitFor();
    await page.getByRole('button', { name: 'Start', exact: true }).waitFor();
    await shot('service-stopped');
    expect((await serviceOf(webId))?.state).toBe('STOPPED');

    let answer = { status: 0, body: '', issuer: '' };
    // Between the scale-down and the routing service's swap to the stopped page, Caddy's proxy has no
    // upstream and answers an empty 503 for a moment: wait for the page itself.
    await waitUntil('the stopped page', async () => (answer = await https.get(webUrl)).body.includes(`${new URL(webUrl).hostname} is stopped`), 60_000, 250);
    expect(answer.status).toBe(503);
    const edge = await browser.newPage({ viewport: { width: 1280, height: 800 }, ignoreHTTPSErrors: true });
    await edge.goto(webUrl);
    await edge.screenshot({ path: join(SCREENSHOTS_DIR, 'lifecycle-hostname-stopped.png') });
    await edge.close();

    await page.goto(`${base}/projects/${projectId}`);
    await page.getByRole('link', { name: /web/ }).getByText('stopped').waitFor();
    await shot('project-stopped');
  }, 120_000);

  it('starts it again', async () => {
    await page.goto(`${base}/services/${webId}`);
    await page.getByRole('button', { name: 'Start', exact: true }).click();
    await page.getByRole('status').getByText(/^Started/).waitFor();
    expect(await page.getByTestId('service-state').count()).toBe(0);
    expect((await serviceOf(webId))?.state).toBe('RUNNING');
    await waitUntil('the app to answer again', async () => (await https.get(webUrl)).status === 200, 60_000, 250);
  }, 90_000);

  it('scales, checking the number as every form does', async () => {
    await page.getByRole('button', { name: 'Scale' }).click();
    const dialog = page.getByRole('dialog');
    await dialog.getByLabel('Replicas').fill('11');
    await dialog.getByRole('button', { name: 'Scale' }).click();
    await dialog.getByText('Replicas must be 1 to 10').waitFor();
    await shot('scale-invalid', false);
    await dialog.getByLabel('Replicas').fill('2');
    await dialog.getByRole('button', { name: 'Scale' }).click();
    await page.getByRole('status').getByText('Scaled to 2 replicas.').waitFor();
    expect((await serviceOf(webId))?.replicas).toBe(2);
  });

  it('restarts', async () => {
    await page.getByRole('button', { name: 'Restart' }).click();
    await page.getByRole('status').getByText(/^Restarting/).waitFor();
    await shot('service-restarting');
    await waitUntil('the restart in the audit log', async () => (await auditTypes()).includes('ServiceRestarted'), 15_000, 250);
  });

  it('cancels a queued deployment, which ends cancelled', async () => {
    // Without a builder, a deployment waits in the queue: deterministic, and nothing to build.
    const { processes } = platform;
    const builder = processes.find((p) => p.name === 'build')!;
    await builder.stop();
    processes.splice(processes.indexOf(builder), 1);
    try {
      const { deployService } = await gql<{ deployService: { id: string } }>('mutation($s: ID!) { deployService(serviceId: $s) { id } }', { s: webId });
      await page.goto(`${base}/services/${webId}`);
      await page.getByRole('button', { name: /^Cancel the deployment of/ }).waitFor();
      await shot('deployments-queued');
      await page.goto(`${base}/deployments/${deployService.id}`);
      await page.getByTestId('deployment-status').getByText('queued').waitFor();
      await page.getByRole('button', { name: 'Cancel this deployment' }).click();
      await page.getByRole('dialog').getByRole('button', { name: 'Keep it' }).waitFor();
      await shot('cancel-dialog', false);
      await page.getByRole('dialog').getByRole('button', { name: 'Cancel deployment' }).click();
      await page.getByTestId('deployment-status').getByText('cancelled').waitFor({ timeout: 10_000 });
      await page.getByRole('status').getByText(/^Cancelled .*: its build was stopped/).waitFor();
      await shot('deployment-cancelled');
      expect(await deploymentStatus(deployService.id)).toBe('CANCELLED');
    } finally {
      processes.push(await startPlatformProcess('build'));
    }
  }, 90_000);

  it('fixes a bad git URL in the edit form, with the refusal next to the field', async () => {
    typoId = (
      await gql<{ createService: { id: string } }>('mutation($i: CreateServiceInput!) { createService(input: $i) { id } }', {
        i: { projectId, name: 'typo', port: 3000, source: { git: { url: `${repo.url}-tpyo`, ref: 'main' } } },
      })
    ).createService.id;
    await page.goto(`${base}/services/${typoId}?tab=edit`);
    const form = page.getByRole('form', { name: 'Edit service' });
    await form.getByLabel('Repository URL').fill('ftp://git.example.test/app.git');
    await form.getByRole('button', { name: 'Save changes' }).click();
    await waitUntil('the refusal next to the URL', async () => (await form.getByLabel('Repository URL').getAttribute('aria-invalid')) === 'true', 10_000, 100);
    await form.getByText(/Git source "ftp:\/\/git\.example\.test\/app\.git" is not allowed/).waitFor();
    await shot('edit-refused');
    await form.getByLabel('Repository URL').fill(repo.url);
    await form.getByLabel('Command').fill('node\nserver.js');
    await form.getByRole('button', { name: 'Save changes' }).click();
    await form.getByRole('status').getByText('Saved').waitFor();
    const saved = await gql<{ projects: { services: { id: string; command: string[]; source: { url: string | null } }[] }[] }>('{ projects { services { id command source { url } } } }');
    expect(saved.projects.flatMap((p) => p.services).find((s) => s.id === typoId)).toEqual({ id: typoId, command: ['node', 'server.js'], source: { url: repo.url } });
  });

  it('deletes a service once its name is typed', async () => {
    await page.goto(`${base}/services/${typoId}`);
    await page.getByRole('button', { name: 'Delete', exact: true }).click();
    const dialog = page.getByRole('dialog');
    const confirm = dialog.getByRole('button', { name: 'Delete service' });
    expect(await confirm.isDisabled()).toBe(true);
    expect(await dialog.getByLabel(/Delete its volumes too/).isChecked()).toBe(false);
    await dialog.getByLabel("The service's name, to confirm").fill('typo');
    await shot('delete-service-dialog', false);
    await confirm.click();
    await page.waitForURL(new RegExp(`/projects/${projectId}$`));
    await waitUntil('the service to leave the API', async () => (await serviceOf(typoId)) === undefined, 10_000, 250);
  });

  it('deletes the project, its owner typing its name', async () => {
    await page.goto(`${base}/projects/${projectId}`);
    await page.getByRole('region', { name: 'Danger zone' }).getByRole('button', { name: 'Delete project' }).click();
    const dialog = page.getByRole('dialog');
    await dialog.getByLabel("The project's name, to confirm").fill(project);
    await shot('delete-project-dialog', false);
    await dialog.getByRole('button', { name: 'Delete project' }).click();
    await page.waitForURL(`${base}/`);
    const { projects } = await gql<{ projects: { id: string }[] }>('{ projects { id } }');
    expect(projects.map((p) => p.id)).not.toContain(projectId);
    await waitUntil('nothing of the project in Swarm', async () => (await docker.listServices({ filters: { label: [`slipway.project=${projectId}`] } })).length === 0, 60_000, 500);
    projectId = '';
  }, 90_000);
});
