import { randomUUID } from 'node:crypto';
import type { Page } from 'playwright-core';
import { GitRepoFixture, nodeApp, nodeDockerfile, screenshotBothWidths, startSignedInConsole, type GraphqlTestClient, type SignedInConsole } from '@slipway/testing';

/**
 * Previews, driven from the console in Debian's Chromium against the real platform: a project with
 * one git service (never deployed itself) shows no previews; "Preview a branch" starts one, which
 * the page shows live until its copy runs, with the copy's URL and a link to its deployment's logs;
 * the production service's deployments stay empty; Destroy tears it down. Screenshots:
 * artifacts/screenshots/previews-*.png, at desktop and phone width.
 */
describe('console: a preview of a branch, from start to teardown', () => {
  let ui: SignedInConsole;
  const repo = new GitRepoFixture();
  const projectName = `prvui-${randomUUID().slice(0, 6)}`;
  let page: Page;
  let base: string;
  let api: GraphqlTestClient;
  let projectId: string;
  let serviceId: string;

  const shot = (name: string) => screenshotBothWidths(page, `previews-${name}`);
  const gql = <T>(query: string, variables: Record<string, unknown> = {}) => api.request<T>(query, variables);
  const previews = () => page.getByRole('list', { name: 'Previews' });

  beforeAll(async () => {
    ui = await startSignedInConsole();
    ({ page, base } = ui);
    api = ui.platform.api;
    projectId = await ui.platform.createProject(projectName);
    repo.commit({ ...nodeApp('preview'), Dockerfile: nodeDockerfile }, 'app');
    serviceId = (
      await gql<{ createService: { id: string } }>('mutation($i: CreateServiceInput!) { createService(input: $i) { id } }', {
        i: { projectId, name: 'web', port: 3000, source: { git: { url: repo.url, ref: 'main' } } },
      })
    ).createService.id;
  }, 300_000);

  afterAll(async () => {
    // Housekeeping (not part of what is asserted).
    if (projectId) await api?.execute('mutation($id: ID!) { deleteProject(id: $id, deleteVolumes: true) }', { id: projectId }).catch(() => undefined);
    await ui?.stop();
    repo.remove();
  });

  it('shows no previews at first, and says how one comes', async () => {
    await page.goto(`${base}/projects/${projectId}/previews`);
    await page.getByText('No previews yet').waitFor();
    await page.getByRole('link', { name: projectName }).waitFor();
    await shot('empty');
  }, 60_000);

  it('previews a branch: shown live until its copy runs, with its URL and logs, and the service itself untouched', async () => {
    const form = page.getByRole('form', { name: 'Preview a branch' });
    await form.getByLabel('Preview a branch').fill('main');
    await form.getByRole('button', { name: 'Preview' }).click();
    const item = previews().getByRole('listitem', { name: 'Preview main' });
    await item.waitFor({ timeout: 30_000 });
    // Without reloading: the subscription brings the copy's progress.
    await item.getByText('running', { exact: true }).first().waitFor({ timeout: 300_000 });
    const services = item.getByRole('list', { name: 'Services' });
    await services.getByText('web', { exact: true }).waitFor();
    const url = await services.getByRole('link', { name: /^http/ }).first().innerText();
    expect(url).toMatch(new RegExp(`web-br-main-${projectName}`));
    expect(await services.getByRole('link', { name: 'Logs' }).getAttribute('href')).toMatch(/^\/deployments\/d_/);
    expect(await item.getByRole('button', { name: 'Approve' }).count()).toBe(0);
    await shot('running');

    const { deployments, preview } = await gql<{ deployments: { id: string }[]; preview: { status: string; services: { name: string }[] } }>(
      'query($s: ID!, $p: ID!) { deployments(serviceId: $s) { id } preview(id: $p) { status services { name } } }',
      { s: serviceId, p: `${projectId}-br-main` },
    );
    expect(deployments).toEqual([]);
    expect(preview).toEqual({ status: 'RUNNING', services: [{ name: 'web' }] });

    await services.getByRole('link', { name: 'Logs' }).click();
    await page.waitForURL(/\/deployments\/d_/);
    await page.goBack();
  }, 360_000);

  it('destroys it: the preview says it is being torn down, then gone, with no buttons left', async () => {
    const item = previews().getByRole('listitem', { name: 'Preview main' });
    await item.getByRole('button', { name: 'Destroy' }).click();
    await page.getByRole('dialog').getByRole('button', { name: 'Destroy' }).click();
    await item.getByText(/^(destroying|destroyed)$/).first().waitFor({ timeout: 30_000 });
    await item.getByText('destroyed', { exact: true }).first().waitFor({ timeout: 120_000 });
    expect(await item.getByRole('button').count()).toBe(0);
    await item.getByText('Torn down: destroyed on request').waitFor();
    expect(await item.getByRole('list', { name: 'Services' }).count()).toBe(0);
    await shot('destroyed');
  }, 180_000);
});
