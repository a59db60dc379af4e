import { randomUUID } from 'node:crypto';
import Dockerode from 'dockerode';
import type { Page } from 'playwright-core';
import { buildTestApp, GitRepoFixture, infraEnv, screenshotBothWidths, startSignedInConsole, type GraphqlTestClient, type SignedInConsole } from '@slipway/testing';

/**
 * Import from Compose, driven from the console in Debian's Chromium against the real platform: a
 * file with a bind mount is refused in the API's words (line breaks kept); a two-service file (db,
 * an image with a named volume; web depending on it, with `restart: always`) is previewed (two
 * CREATE rows, the warning naming restart), imported, and the project page shows both services
 * and the "From Compose" line. Nothing is deployed. Screenshots: artifacts/screenshots/compose-*.png,
 * at desktop and phone width.
 */

const composeFile = (image: string) => `services:
  db:
    image: ${image}
    expose: ["3000"]
    volumes:
      - data:/data
  web:
    image: ${image}
    ports: ["3000"]
    depends_on: [db]
    restart: always
volumes:
  data: {}
`;

describe('console: a project imported from a Compose file, previewed first', () => {
  let ui: SignedInConsole;
  const docker = new Dockerode();
  const repo = new GitRepoFixture();
  const projectName = `cmpui-${randomUUID().slice(0, 6)}`;
  let page: Page;
  let base: string;
  let api: GraphqlTestClient;
  let projectId: string;
  let commit: string;

  const shot = (name: string) => screenshotBothWidths(page, `compose-${name}`);
  const gql = <T>(query: string, variables: Record<string, unknown> = {}) => api.request<T>(query, variables);
  const form = () => page.getByRole('form', { name: 'Import from Compose' });
  const openForm = async (path: string) => {
    await page.goto(`${base}/projects/${projectId}`);
    await page.getByRole('button', { name: 'Import from Compose' }).click();
    await form().getByLabel('Repository URL').fill(repo.url);
    await form().getByLabel('Compose file').fill(path);
    await form().getByRole('button', { name: 'Preview' }).click();
  };

  beforeAll(async () => {
    ui = await startSignedInConsole();
    ({ page, base } = ui);
    api = ui.platform.api;
    projectId = (await gql<{ createProject: { id: string } }>('mutation($n: String!) { createProject(input: { name: $n }) { id } }', { n: projectName })).createProject.id;
    const image = await buildTestApp(docker, { registry: infraEnv().REGISTRY, repository: 'slipway-test/compose-console', version: 'v1', healthy: true });
    commit = repo.commit({ 'compose.yaml': composeFile(image), 'broken/compose.yaml': 'services:\n  app:\n    image: nginx\n    volumes:\n      - ./site:/usr/share/nginx/html\n' }, 'compose project');
  }, 300_000);

  afterAll(async () => {
    // Housekeeping (not part of what is asserted).
    if (projectId) await api?.execute('mutation($id: ID!) { deleteProject(id: $id, deleteVolumes: true) }', { id: projectId }).catch(() => undefined);
    await ui?.stop();
    repo.remove();
  });

  it('refuses a file with a bind mount in the words of the API, next to the path, line by line', async () => {
    await openForm('broken/compose.yaml');
    const refusal = form().getByText(/broken\/compose\.yaml cannot be imported:/);
    await refusal.waitFor();
    expect(await form().getByLabel('Compose file').getAttribute('aria-invalid')).toBe('true');
    // The message's second line (the key, its line, what to do) is on a line of its own.
    const text = await refusal.innerText();
    expect(text).toMatch(/cannot be imported:\n.*services\.app\.volumes\[0\].*line 5.*named volume/s);
    expect(await page.getByRole('table').count()).toBe(0);
    await shot('refused');
  }, 120_000);

  it('previews two CREATE rows and the warning about restart, imports, and shows both services with the Compose line', async () => {
    await openForm('');
    const preview = page.getByRole('region', { name: 'Preview' });
    await preview.getByRole('table').waitFor({ timeout: 60_000 });
    const row = (name: string) => preview.getByRole('row').filter({ has: page.getByRole('rowheader', { name, exact: true }) });
    await row('db').getByText('Create', { exact: true }).waitFor();
    await row('web').getByText('Create', { exact: true }).waitFor();
    expect(await row('db').getByText('data:/data').count()).toBe(1);
    expect(await row('web').getByRole('cell', { name: 'db', exact: true }).count()).toBe(1);
    expect(await preview.getByRole('region', { name: 'Warnings' }).getByText(/services\.web.*restart/).count()).toBe(1);
    expect(await preview.getByText(commit.slice(0, 7), { exact: true }).count()).toBe(1);
    await shot('preview');
    // A preview creates nothing.
    const before = await gql<{ projects: { id: string; services: { id: string }[] }[] }>('{ projects { id services { id } } }');
    expect(before.projects.find((p) => p.id === projectId)!.services).toEqual([]);

    await preview.getByRole('button', { name: 'Import 2 services' }).click();
    // The form closes once the services exist, and the graph shows them.
    await form().waitFor({ state: 'detached', timeout: 60_000 });
    await page.getByRole('link', { name: /^db / }).waitFor();
    await page.getByRole('link', { name: /^web / }).waitFor();
    const origin = page.getByRole('region', { name: 'Compose file' });
    await origin.getByText(`(${commit.slice(0, 7)})`, { exact: false }).waitFor();
    expect(await origin.innerText()).toMatch(/From Compose: compose\.yaml at main \([0-9a-f]{7}\), read/);
    expect(await origin.innerText()).toMatch(/added (db, web|web, db)/);
    await origin.locator('summary').getByText(/^\d+ warnings?$/).click();
    await origin.getByText(/services\.web.*restart/).waitFor();
    await shot('project');

    const { projects } = await gql<{ projects: { id: string; services: { name: string; dependsOn: string[]; id: string }[]; compose: { commit: string } | null }[] }>(
      '{ projects { id services { id name dependsOn } compose { commit } } }',
    );
    const project = projects.find((p) => p.id === projectId)!;
    const ids = Object.fromEntries(project.services.map((s) => [s.name, s.id]));
    expect(project.services.map((s) => [s.name, s.dependsOn]).sort()).toEqual([
      ['db', []],
      ['web', [ids.db]],
    ]);
    expect(project.compose?.commit).toBe(commit);
  }, 180_000);
});
