import { randomUUID } from 'node:crypto';
import Dockerode from 'dockerode';
import type { Page } from 'playwright-core';
import { buildTestApp, infraEnv, screenshotBothWidths, startSignedInConsole, waitUntil, type GraphqlTestClient, type SignedInConsole } from '@slipway/testing';

/**
 * Runtime logs end to end: a deployed app's own output ("listening on 3000", printed by the test
 * app) is collected by the metrics service into VictoriaLogs and read back through serviceLogs, a
 * restart's new line arrives through serviceLogLines, and the console's Logs tab shows it.
 * Screenshots: artifacts/screenshots/runtime-logs*.png, at desktop and phone width.
 */
type Line = { timestamp: string; stream: string; message: string; replica: string | null; container: string | null };
const LINE = 'timestamp stream message replica container';

describe('runtime logs: an app prints, the API and the console show it', () => {
  let ui: SignedInConsole;
  let page: Page;
  let api: GraphqlTestClient;
  const docker = new Dockerode();
  const projectName = `logs-${randomUUID().slice(0, 6)}`;
  let projectId: string;
  let serviceId: string;

  const gql = <T>(query: string, variables: Record<string, unknown> = {}) => api.request<T>(query, variables);
  const logs = async (search?: string) =>
    (await gql<{ serviceLogs: { lines: Line[]; nextCursor: string | null } }>(`query($s: ID!, $q: String) { serviceLogs(serviceId: $s, search: $q, first: 50) { lines { ${LINE} } nextCursor } }`, { s: serviceId, q: search ?? null })).serviceLogs;
  const deploymentEnded = async (id: string) => {
    let status = '';
    await waitUntil('the deployment to end', async () => {
      status = (await gql<{ deployment: { status: string } }>('query($id: ID!) { deployment(id: $id) { status } }', { id })).deployment.status;
      return ['SUCCEEDED', 'FAILED', 'CANCELLED'].includes(status);
    }, 180_000, 500);
    return status;
  };

  beforeAll(async () => {
    ui = await startSignedInConsole();
    ({ page } = ui);
    api = ui.platform.api;
    const image = await buildTestApp(docker, { registry: infraEnv().REGISTRY, repository: 'slipway-test/runtime-logs', version: 'v1', healthy: true });
    projectId = await ui.platform.createProject(projectName);
    serviceId = (
      await gql<{ createService: { id: string } }>('mutation($i: CreateServiceInput!) { createService(input: $i) { id } }', {
        i: { projectId, name: 'web', port: 3000, healthCheckPath: '/healthz', cpu: 0.1, memoryMb: 128, source: { image: { ref: image } } },
      })
    ).createService.id;
  }, 300_000);

  afterAll(async () => {
    if (projectId) await gql('mutation($id: ID!) { deleteProject(id: $id) }', { id: projectId }).catch(() => undefined);
    const label = [`slipway.project=${projectId}`];
    await waitUntil('the project gone from Swarm', async () => (await docker.listServices({ filters: { label } })).length === 0, 90_000, 500).catch(() => undefined);
    await ui?.stop();
  });

  it("reads the app's listening line through serviceLogs, and a restart's through serviceLogLines", async () => {
    const { deployService } = await gql<{ deployService: { id: string } }>('mutation($id: ID!) { deployService(serviceId: $id) { id } }', { id: serviceId });
    expect(await deploymentEnded(deployService.id)).toBe('SUCCEEDED');
    const deployedAt = Date.now();
    let found: Line[] = [];
    await waitUntil('the listening line in serviceLogs', async () => (found = (await logs('LISTENING on')).lines).length > 0, 15_000, 250);
    console.log(`deployment SUCCEEDED → "listening on 3000" readable through serviceLogs: ${Date.now() - deployedAt} ms`);
    expect(found).toEqual([expect.objectContaining({ message: 'listening on 3000', stream: 'stdout', replica: '1', container: expect.stringMatching(/^[0-9a-f]{12}$/) })]);
    expect((await logs('no such text anywhere')).lines).toEqual([]);
    await expect(gql('query($s: ID!) { serviceLogs(serviceId: $s, since: "yesterday") { nextCursor } }', { s: serviceId })).rejects.toThrow(
      'since must be a date and time like 2026-11-30T07:00:00Z, not "yesterday"',
    );

    const live: Line[] = [];
    const stop = api.subscribe<{ serviceLogLines: Line }>(`subscription($s: ID!) { serviceLogLines(serviceId: $s) { ${LINE} } }`, { s: serviceId }, (v) => live.push(v.serviceLogLines));
    try {
      await new Promise((r) => setTimeout(r, 1_500)); // the tail starts from the moment it is open
      await gql('mutation($id: ID!) { restartService(id: $id) { id } }', { id: serviceId });
      await waitUntil("the restarted container's listening line, live", () => live.some((l) => l.message === 'listening on 3000' && l.container !== found[0].container), 90_000, 250);
    } finally {
      stop();
    }
    expect((await logs('listening on')).lines).toHaveLength(2);
  }, 300_000);

  it('shows the lines in the Logs tab of the service page', async () => {
    await page.goto(`${ui.base}/services/${serviceId}?tab=logs`);
    const region = page.getByRole('region', { name: /Log lines/ });
    await region.getByText('listening on 3000').first().waitFor({ timeout: 15_000 });
    await screenshotBothWidths(page, 'runtime-logs');
    await page.getByLabel('Search the stored logs').fill('nothing like this');
    await page.getByRole('button', { name: 'Search', exact: true }).click();
    await page.getByText('No line in this time range matches the search').waitFor({ timeout: 10_000 });
    await page.getByLabel('Search the stored logs').fill('LISTENING');
    await page.getByRole('button', { name: 'Search', exact: true }).click();
    await region.getByText('listening on 3000').first().waitFor({ timeout: 10_000 });
    await screenshotBothWidths(page, 'runtime-logs-search');
  });
});
