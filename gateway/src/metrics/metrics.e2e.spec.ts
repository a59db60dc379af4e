import { randomUUID } from 'node:crypto';
import Dockerode from 'dockerode';
import { buildTestApp, infraEnv, screenshotBothWidths, startSignedInConsole, waitUntil, type SignedInConsole, type SignedInPlatform } from '@slipway/testing';

/**
 * Metrics end to end: an app deployed on the platform shows up in serviceMetrics (collected by the
 * metrics service from Docker, stored in VictoriaMetrics, read by the gateway), the host in
 * hostMetrics, and the platform's own counters on GET /metrics for the instance owner only; the
 * console's charts in Chromium, saved as artifacts/screenshots/metrics-*.png at both widths.
 */
type Point = { at: string; cpu: number; memoryBytes: number; netRxBytes: number; netTxBytes: number; restarts: number };

describe('metrics: service, host and platform', () => {
  let platform: SignedInPlatform;
  let signedIn: SignedInConsole;
  let serviceId: string;
  const docker = new Dockerode();
  const suffix = randomUUID().slice(0, 6);
  let projectId: string;

  beforeAll(async () => {
    signedIn = await startSignedInConsole();
    ({ platform } = signedIn);
  }, 300_000);

  afterAll(async () => {
    if (projectId) {
      await platform.api.request('mutation($id: ID!) { deleteProject(id: $id) }', { id: projectId }).catch(() => undefined);
      const label = [`slipway.project=${projectId}`];
      const left = async () => (await docker.listServices({ filters: { label } })).length + (await docker.listNetworks({ filters: { label } })).length;
      await waitUntil('the project gone from Swarm', async () => (await left()) === 0, 90_000, 500).catch(async () => {
        for (const s of await docker.listServices({ filters: { label } })) await docker.getService(s.ID).remove().catch(() => undefined);
        for (const n of await docker.listNetworks({ filters: { label } })) await docker.getNetwork(n.Id).remove().catch(() => undefined);
      });
    }
    await signedIn?.stop();
  }, 120_000);

  it('reads back the CPU, memory and network of a deployed app, and the host usage', async () => {
    const { api } = platform;
    const image = await buildTestApp(docker, { registry: infraEnv().REGISTRY, repository: 'slipway-test/metrics-app', version: 'v1', healthy: true });
    projectId = await platform.createProject(`metrics-${suffix}`);
    const { createService } = await api.request<{ createService: { id: string } }>('mutation($i: CreateServiceInput!) { createService(input: $i) { id } }', {
      i: { projectId, name: 'web', port: 3000, healthCheckPath: '/healthz', replicas: 2, cpu: 0.25, memoryMb: 128, source: { image: { ref: image } } },
    });
    serviceId = createService.id;
    const { deployService } = await api.request<{ deployService: { id: string } }>('mutation($s: ID!) { deployService(serviceId: $s) { id } }', { s: serviceId });
    let url: string | null = null;
    await waitUntil('the deployment to succeed', async () => {
      const { deployment } = await api.request<{ deployment: { status: string; error: string | null; url: string | null } }>('query($d: ID!) { deployment(id: $d) { status error url } }', { d: deployService.id });
      if (deployment.status === 'FAILED') throw new Error(`the deployment failed: ${deployment.error}`);
      url = deployment.url;
      return deployment.status === 'SUCCEEDED';
    }, 240_000, 500);
    // Requests through the edge while the collector samples: the app receives and sends bytes.
    let traffic = true;
    const requests = (async () => {
      while (traffic) {
        await platform.https.get(url!).catch(() => undefined);
        await new Promise((r) => setTimeout(r, 200));
      }
    })();

    const from = new Date(Date.now() - 5 * 60_000).toISOString();
    let points: Point[] = [];
    let to = '';
    const started = Date.now();
    await waitUntil('points of the app in serviceMetrics', async () => {
      to = new Date().toISOString();
      ({ serviceMetrics: points } = await api.request<{ serviceMetrics: Point[] }>(
        'query($s: ID!, $f: String!, $t: String!) { serviceMetrics(serviceId: $s, from: $f, to: $t) { at cpu memoryBytes netRxBytes netTxBytes restarts } }',
        { s: serviceId, f: from, t: to },
      ));
      // Two replicas of a Node.js app: tens of MB together; the requests: bytes in and out.
      return points.some((p) => p.memoryBytes > 20 * 1024 ** 2) && points.some((p) => p.netRxBytes > 0 && p.netTxBytes > 0);
    }, 90_000, 1_000).finally(async () => {
      traffic = false;
      await requests;
    });
    console.log(`serviceMetrics: memory and traffic seen ${((Date.now() - started) / 1000).toFixed(1)} s after SUCCEEDED; last ${JSON.stringify(points.at(-1))}`);
    const last = points.at(-1)!;
    expect(Date.parse(last.at)).toBeGreaterThan(Date.parse(from));
    expect(last.cpu).toBeGreaterThanOrEqual(0);
    expect(last.cpu).toBeLessThan(2);
    expect(last.restarts).toBe(0);
    // Default step over a few minutes: the 10 s of collection, in time order.
    expect(points.length).toBeLessThanOrEqual(Math.floor((Date.parse(to) - Date.parse(from)) / 10_000) + 1);
    expect(points.map((p) => p.at)).toEqual([...points.map((p) => p.at)].sort());

    // A week at a 10 s step would be 60,480 points: raised to at most 1,500.
    const week = await api.request<{ serviceMetrics: Point[] }>('query($s: ID!, $f: String!, $t: String!) { serviceMetrics(serviceId: $s, from: $f, to: $t, step: 10) { at } }', {
      s: serviceId,
      f: new Date(Date.now() - 7 * 24 * 3600_000).toISOString(),
      t: new Date().toISOString(),
    });
    expect(week.serviceMetrics.length).toBeGreaterThan(0);
    expect(week.serviceMetrics.length).toBeLessThanOrEqual(1_500);

    await expect(api.request('query($s: ID!) { serviceMetrics(serviceId: $s, from: "2026-11-30T08:00:00Z", to: "2026-11-30T07:00:00Z") { at } }', { s: serviceId })).rejects.toThrow(
      /"to" \(2026-11-30T07:00:00Z\) must come after "from"/,
    );

    const { hostMetrics } = await api.request<{ hostMetrics: { memoryBytes: number; memoryTotalBytes: number; diskUsedBytes: number; diskTotalBytes: number; load1: number }[] }>(
      'query($f: String!, $t: String!) { hostMetrics(from: $f, to: $t) { memoryBytes memoryTotalBytes diskUsedBytes diskTotalBytes load1 } }',
      { f: from, t: new Date().toISOString() },
    );
    const host = hostMetrics.at(-1)!;
    expect(host.memoryBytes).toBeGreaterThan(0);
    expect(host.memoryBytes).toBeLessThan(host.memoryTotalBytes);
    expect(host.diskUsedBytes).toBeLessThan(host.diskTotalBytes);
  }, 420_000);

  it("serves the platform's own metrics to the instance owner's token, and to no one else", async () => {
    const url = `http://127.0.0.1:${platform.gateway.port}/metrics`;
    const owner = await fetch(url, { headers: { authorization: `Bearer ${platform.ownerToken}` } });
    expect(owner.status).toBe(200);
    const text = await owner.text();
    expect(text).toMatch(/^# HELP slipway_deployments_requested_total/m);
    expect(Number(/^slipway_deployments_finished_total\{outcome="succeeded"\} (\d+)$/m.exec(text)?.[1])).toBeGreaterThanOrEqual(1);
    expect(text).toMatch(/^slipway_deployment_duration_seconds_count \d+$/m);
    expect(Number(/^slipway_events_appended_total\{context="deploy"\} (\d+)$/m.exec(text)?.[1])).toBeGreaterThanOrEqual(3);
    expect(text).toMatch(/^slipway_projection_lag_seconds\{projection="deployments-view"\} [\d.e+-]+$/m);

    const anonymous = await fetch(url);
    expect(anonymous.status).toBe(401);
    expect(await anonymous.text()).toMatch(/Authorization: Bearer/);
    const wrong = await fetch(url, { headers: { authorization: 'Bearer slw_not-a-token' } });
    expect(wrong.status).toBe(401);
    // A browser opening the console's Metrics page gets the console, not the metrics.
    const page = await fetch(url, { headers: { accept: 'text/html,application/xhtml+xml' } });
    expect(page.status).toBe(200);
    expect(await page.text()).toMatch(/<html/i);
  }, 60_000);

  it('draws the service and host charts in the console', async () => {
    const { page, base } = signedIn;
    await page.goto(`${base}/services/${serviceId}?tab=metrics`);
    const charts = page.getByTestId('service-metrics');
    await charts.locator('svg[role="img"]').first().waitFor({ timeout: 30_000 });
    expect(await charts.locator('figure').count()).toBe(4);
    expect(await charts.locator('svg[role="img"] path').count()).toBeGreaterThanOrEqual(5);
    await expect(charts.locator('figcaption').first().textContent()).resolves.toMatch(/CPU \(cores\)/);
    await screenshotBothWidths(page, 'metrics-service');

    await page.goto(`${base}/metrics`);
    const host = page.getByTestId('host-metrics');
    await host.locator('svg[role="img"]').first().waitFor({ timeout: 30_000 });
    expect(await host.locator('figure').count()).toBe(4);
    await expect(host.textContent()).resolves.toMatch(/Memory .+ of .+; disk .+ of /);
    await screenshotBothWidths(page, 'metrics-host');
  }, 120_000);
});
