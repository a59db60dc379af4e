import { randomUUID } from 'node:crypto';
import Dockerode from 'dockerode';
import { buildTestApp, infraEnv, screenshotBothWidths, startSignedInConsole, waitUntil, type SignedInConsole, type SignedInPlatform } from '@slipway/testing';

/**
 * Quotas end to end, on the whole platform: a deployment over its project's limits ends FAILED
 * before anything of it runs, naming the limit, the use and the request; a scale over them is
 * refused; what stopped, failed or deleted services held is given back; the machine's own memory
 * is a limit too. The console's usage bars and the owner's editor in Chromium, saved as
 * artifacts/screenshots/quota-usage*.png at both widths.
 */
type Usage = { cpu: { used: number; limit: number | null }; memoryMb: { used: number; limit: number | null }; replicas: { used: number; limit: number | null }; ownLimits: boolean };
type Deployment = { status: string; error: string | null };

describe('quota: limits per project', () => {
  let signedIn: SignedInConsole;
  let platform: SignedInPlatform;
  const docker = new Dockerode();
  const name = `quota-${randomUUID().slice(0, 6)}`;
  let projectId: string;
  let image: string;
  let web: string;

  beforeAll(async () => {
    signedIn = await startSignedInConsole();
    ({ platform } = signedIn);
    image = await buildTestApp(docker, { registry: infraEnv().REGISTRY, repository: 'slipway-test/quota-app', version: 'v1', healthy: true });
    projectId = await platform.createProject(name);
  }, 300_000);

  afterAll(async () => {
    if (projectId) await platform.api.request('mutation($id: ID!) { deleteProject(id: $id) }', { id: projectId }).catch(() => undefined);
    const label = [`slipway.project=${projectId}`];
    await waitUntil('the project gone from Swarm', async () => (await docker.listServices({ filters: { label } })).length === 0, 60_000, 500).catch(async () => {
      for (const s of await docker.listServices({ filters: { label } })) await docker.getService(s.ID).remove().catch(() => undefined);
    });
    await signedIn?.stop();
  }, 120_000);

  const usage = async () =>
    (await platform.api.request<{ projectUsage: Usage }>('query($p: ID!) { projectUsage(projectId: $p) { cpu { used limit } memoryMb { used limit } replicas { used limit } ownLimits } }', { p: projectId })).projectUsage;
  const createService = async (service: string, cpu: number, replicas = 1, memoryMb = 128) =>
    (
      await platform.api.request<{ createService: { id: string } }>('mutation($i: CreateServiceInput!) { createService(input: $i) { id } }', {
        i: { projectId, name: service, port: 3000, healthCheckPath: '/healthz', replicas, cpu, memoryMb, source: { image: { ref: image } } },
      })
    ).createService.id;
  const deployToTheEnd = async (serviceId: string): Promise<Deployment> => {
    const { deployService } = await platform.api.request<{ deployService: { id: string } }>('mutation($s: ID!) { deployService(serviceId: $s) { id } }', { s: serviceId });
    let last: Deployment = { status: 'QUEUED', error: null };
    await waitUntil('the deployment to end', async () => {
      last = (await platform.api.request<{ deployment: Deployment }>('query($d: ID!) { deployment(id: $d) { status error } }', { d: deployService.id })).deployment;
      return ['SUCCEEDED', 'FAILED', 'CANCELLED', 'BLOCKED'].includes(last.status);
    }, 180_000, 250);
    return last;
  };
  const swarmServices = async (serviceId: string) => (await docker.listServices({ filters: { label: [`slipway.service=${serviceId}`] } })).length;

  it('fails a deployment over the project’s CPU before anything runs, and says by how much', async () => {
    const refused = await platform.api.execute('mutation($p: ID!) { setProjectQuota(projectId: $p, input: { cpu: 0 }) { ownLimits } }', { p: projectId });
    expect(refused.errors?.[0]?.message).toMatch(/must be 0\.1 to 1024 CPU cores/);
    const set = await platform.api.request<{ setProjectQuota: Usage }>('mutation($p: ID!) { setProjectQuota(projectId: $p, input: { cpu: 1, replicas: 3 }) { cpu { used limit } ownLimits } }', { p: projectId });
    expect(set.setProjectQuota).toMatchObject({ cpu: { used: 0, limit: 1 }, ownLimits: true });

    web = await createService('web', 0.5);
    expect(await deployToTheEnd(web)).toEqual({ status: 'SUCCEEDED', error: null });
    await waitUntil('the usage to show web', async () => (await usage()).cpu.used === 0.5, 10_000, 200);

    const api = await createService('api', 0.75);
    const started = Date.now();
    const rejected = await deployToTheEnd(api);
    console.log(`over-quota deployment FAILED ${Date.now() - started} ms after it was requested`);
    expect(rejected).toEqual({ status: 'FAILED', error: `Over quota: project ${name} would use 1.25 of 1 CPU cores` });
    expect(await swarmServices(api)).toBe(0); // nothing of it ran
    expect((await usage()).cpu).toEqual({ used: 0.5, limit: 1 });
  }, 300_000);

  it('shows the usage as bars, and lets the instance owner edit the limits', async () => {
    const { page, base } = signedIn;
    await page.goto(`${base}/projects/${projectId}?tab=usage`);
    const cpu = page.getByRole('meter', { name: 'CPU' });
    await cpu.waitFor({ timeout: 15_000 });
    expect(await cpu.getAttribute('aria-valuenow')).toBe('0.5');
    await expect(page.getByText('0.5 of 1 cores').count()).resolves.toBe(1);
    await page.getByRole('button', { name: 'Edit limits' }).click();
    await page.getByLabel('Memory (MB)').fill('1024');
    await page.getByRole('button', { name: 'Save limits' }).click();
    await page.getByText('128 of 1024 MB').waitFor({ timeout: 10_000 });
    expect((await usage()).memoryMb).toEqual({ used: 128, limit: 1024 });
    await screenshotBothWidths(page, 'quota-usage');
  }, 60_000);

  it('refuses a scale over the limits, and gives back what a stopped or deleted service held', async () => {
    const scale = await platform.api.execute('mutation($s: ID!) { scaleService(id: $s, replicas: 3) { replicas } }', { s: web });
    expect(scale.errors?.[0]).toMatchObject({ message: `Over quota: project ${name} would use 1.5 of 1 CPU cores`, extensions: { code: 'QUOTA_EXCEEDED', field: 'replicas' } });

    await platform.api.request('mutation($s: ID!) { stopService(id: $s) { id } }', { s: web });
    await waitUntil('the stopped service to hold nothing', async () => (await usage()).cpu.used === 0, 10_000, 200);
    await platform.api.request('mutation($s: ID!) { startService(id: $s) { id } }', { s: web });
    await waitUntil('the started service to hold its CPU again', async () => (await usage()).cpu.used === 0.5, 10_000, 200);
    await platform.api.request('mutation($s: ID!) { deleteService(id: $s) }', { s: web });
    await waitUntil('the deleted service to hold nothing', async () => (await usage()).replicas.used === 0, 10_000, 200);
  }, 120_000);

  it('applies the instance defaults to a project without limits of its own', async () => {
    const other = await platform.createProject(`${name}-d`);
    try {
      const before = (await platform.api.request<{ defaultProjectQuota: Record<string, number | null> }>('{ defaultProjectQuota { cpu memoryMb replicas previews storageMb } }')).defaultProjectQuota;
      await platform.api.request('mutation { setDefaultProjectQuota(input: { memoryMb: 200 }) { memoryMb } }');
      try {
        const u = (await platform.api.request<{ projectUsage: Usage }>('query($p: ID!) { projectUsage(projectId: $p) { memoryMb { used limit } ownLimits } }', { p: other })).projectUsage;
        expect(u).toMatchObject({ memoryMb: { used: 0, limit: 200 }, ownLimits: false });
        const service = (
          await platform.api.request<{ createService: { id: string } }>('mutation($i: CreateServiceInput!) { createService(input: $i) { id } }', {
            i: { projectId: other, name: 'web', port: 3000, replicas: 2, cpu: 0.1, memoryMb: 128, source: { image: { ref: image } } },
          })
        ).createService.id;
        const { deployService } = await platform.api.request<{ deployService: { id: string } }>('mutation($s: ID!) { deployService(serviceId: $s) { id } }', { s: service });
        let d: Deployment = { status: 'QUEUED', error: null };
        await waitUntil('the deployment to fail', async () => {
          d = (await platform.api.request<{ deployment: Deployment }>('query($d: ID!) { deployment(id: $d) { status error } }', { d: deployService.id })).deployment;
          return d.status === 'FAILED';
        }, 30_000, 250);
        expect(d.error).toBe(`Over quota: project ${name}-d would use 256 of 200 MB of memory`);
      } finally {
        const restore = Object.entries(before).filter(([, v]) => v !== null).map(([k, v]) => `${k}: ${v}`).join(', ');
        await platform.api.request(`mutation { setDefaultProjectQuota(input: { ${restore} }) { memoryMb } }`);
      }
    } finally {
      await platform.api.request('mutation($id: ID!) { deleteProject(id: $id) }', { id: other });
    }
  }, 120_000);

  it('refuses what the machine has no memory for, whatever the project’s limits', async () => {
    const { MemTotal } = (await docker.info()) as { MemTotal: number };
    // 10 replicas of 16 GB: more than this machine has (checked, so the test says so if it ever runs on a larger one).
    expect(MemTotal).toBeLessThan(10 * 16_384 * 1024 * 1024);
    await platform.api.request('mutation($p: ID!) { setProjectQuota(projectId: $p, input: {}) { ownLimits } }', { p: projectId });
    const big = await createService('big', 0.1, 10, 16_384);
    const d = await deployToTheEnd(big);
    expect(d.status).toBe('FAILED');
    expect(d.error).toMatch(new RegExp(`^Over capacity: this machine has \\d+ MB of memory left \\(\\d+ MB, \\d+ MB reserved by running services\\) and ${name} asks for 163840 MB$`));
    expect(await swarmServices(big)).toBe(0);
  }, 120_000);
});
