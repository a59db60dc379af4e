import { readFileSync } from 'node:fs';
import { request as httpRequest } from 'node:http';
import { request as httpsRequest } from 'node:https';
import Dockerode from 'dockerode';
import { infraEnv, waitUntil } from '@slipway/testing';
import { CaddyAdmin, CaddyConfigConflict } from './caddy-admin.adapter';
import { buildCaddyConfig, type Route } from './caddy-config.builder';
import { attachCaddyToNetwork, detachCaddyFromNetwork } from './caddy-network.adapter';
import { waitForCertificate } from './certificate.probe';
import { runLoad } from './load-client.fixture';
import { appServiceSpec, buildTestApp, createProjectNetwork } from './test-app.fixture';

// Real Caddy (the slipway-caddy Swarm service), Pebble, Docker Swarm and the registry, as
// infra/scripts/up.sh runs them. Everything created here is named route-test-<run>-…; the routes of
// others in Caddy's config are kept, and ours are removed at the end.
const env = infraEnv();
const docker = new Dockerode({ socketPath: env.DOCKER_SOCKET ?? '/var/run/docker.sock' });
const run = Math.random().toString(36).slice(2, 7);
// Our own route id prefix: the routing service (which may be running and rebuilding the config from
// its own route list at any time) keeps our routes, and we keep its routes.
const ownership = { routeIdPrefix: `slipway-test-${run}-` };
const admin = new CaddyAdmin({ adminUrlFile: env.CADDY_ADMIN_URL_FILE ?? `${env.SLIPWAY_DATA_DIR}/caddy/config/admin-url`, ...ownership });
const tls = { acmeCaUrl: env.ACME_CA_URL, trustedRootsPemFile: env.CADDY_ACME_TRUSTED_ROOTS_PEM };
const pebbleRoot = () => readFileSync(env.ACME_ROOT_PEM ?? `${env.SLIPWAY_DATA_DIR}/pebble/root.pem`, 'utf8');
const prefix = `route-test-${run}`;
const network = `${prefix}-net`;
const swarmService = `${prefix}-web`;
// Not *.localhost: Caddy gives those its own CA; a name like this one gets ACME (Pebble here).
const hostname = `${prefix}.slipway.test`;
const route: Route = { routeId: `${prefix}-r1`, hostnames: [hostname], upstream: { dnsName: `tasks.${swarmService}`, port: 3000 }, network };
const notes: string[] = [];

const httpGet = (host: string) =>
  new Promise<{ status: number; location?: string; body: string }>((resolve, reject) => {
    const req = httpRequest({ host: '127.0.0.1', port: 80, path: '/some/path?q=1', headers: { host }, timeout: 5_000 }, (res) => {
      let body = '';
      res.on('data', (c) => (body += c));
      res.on('end', () => resolve({ status: res.statusCode!, location: res.headers.location, body }));
    });
    req.on('error', reject);
    req.end();
  });

const httpsGet = (host: string) =>
  new Promise<{ status: number; body: string }>((resolve, reject) => {
    const req = httpsRequest(
      { host: '127.0.0.1', port: 443, path: '/', servername: host, headers: { host }, ca: pebbleRoot(), timeout: 5_000 },
      (res) => {
        let body = '';
        res.on('data', (c) => (body += c));
        res.on('end', () => resolve({ status: res.statusCode!, body }));
      },
    );
    req.on('error', reject);
    req.end();
  });

const updateStatus = async () => ((await docker.getService(swarmService).inspect()) as Dockerode.Service).UpdateStatus?.State;

let v1: string;
let v2: string;

beforeAll(async () => {
  [v1, v2] = await Promise.all([
    buildTestApp(docker, { registry: env.REGISTRY, repository: `${prefix}-app`, version: 'v1', healthy: true }),
    buildTestApp(docker, { registry: env.REGISTRY, repository: `${prefix}-app`, version: 'v2', healthy: true }),
  ]);
  await createProjectNetwork(docker, network);
  await docker.createService(appServiceSpec(swarmService, v1, network));
  await waitUntil(
    'the app task to be running',
    async () => (await docker.listTasks({ filters: { service: [swarmService], 'desired-state': ['running'] } })).some((t) => t.Status.State === 'running'),
    60_000,
    500,
  );
}, 180_000);

afterAll(async () => {
  await admin.applyRoutes([], tls).catch((err) => console.error(`could not remove the test routes: ${err}`));
  // Caddy leaves the network while the service still runs there: a task container that is the last
  // one to leave an overlay leaves a stale copy of it behind on the node (Docker 20.10).
  await detachCaddyFromNetwork(docker, network).catch((err) => console.error(`could not detach caddy: ${err}`));
  await docker.getService(swarmService).remove().catch(() => undefined);
  await waitUntil(
    'the app containers to go',
    async () => (await docker.listContainers({ all: true, filters: { label: [`com.docker.swarm.service.name=${swarmService}`] } })).length === 0,
    30_000,
    500,
  ).catch(() => undefined);
  await waitUntil(
    `${network} to be removed`,
    async () => {
      await docker.getNetwork(network).remove();
      return true;
    },
    20_000,
    1_000,
  ).catch((err) => console.error(`could not remove ${network}: ${err}`));
  for (const ref of [v1, v2].filter(Boolean)) await docker.getImage(ref).remove({ force: true }).catch(() => undefined);
  console.log(`routing int test measurements:\n  ${notes.join('\n  ')}`);
}, 90_000);

describe('routing through Caddy', () => {
  it('joins Caddy to the project network without restarting its task', async () => {
    const before = await docker.listContainers({ filters: { label: ['com.docker.swarm.service.name=slipway-caddy'] } });
    const started = Date.now();
    const method = await attachCaddyToNetwork(docker, network);
    notes.push(`attach Caddy to ${network}: ${method} in ${Date.now() - started} ms`);
    expect(method).toBe('connected');
    const after = await docker.listContainers({ filters: { label: ['com.docker.swarm.service.name=slipway-caddy'] } });
    expect(after.map((c) => c.Id)).toEqual(before.map((c) => c.Id)); // same container: no restart
    const edge = (await docker.getNetwork(network).inspect()).Labels?.['slipway.edge-address'];
    const info = await docker.getContainer(after[0].Id).inspect();
    expect(info.NetworkSettings.Networks[network]?.IPAddress).toBe(edge); // the reserved address, never a task's
    expect(await attachCaddyToNetwork(docker, network)).toBe('already-attached');
  }, 60_000);

  it('serves the route over HTTPS with a certificate from Pebble, and redirects HTTP to HTTPS', async () => {
    await admin.applyRoutes([route], tls);
    const loaded = Date.now();
    const cert = await waitForCertificate(hostname, { trustedRootsPem: pebbleRoot(), timeoutMs: 60_000 });
    notes.push(`certificate for ${hostname}: ${Date.now() - loaded} ms after the config was loaded, issuer "${cert.issuer}"`);
    expect(cert.issuer).toMatch(/Pebble/i);

    await waitUntil('the route to answer', async () => (await httpsGet(hostname)).status === 200, 20_000, 250);
    expect(await httpsGet(hostname)).toEqual({ status: 200, body: expect.stringMatching(/^v1 /) });
    expect(await httpGet(hostname)).toMatchObject({ status: 308, location: `https://${hostname}/some/path?q=1` });
  }, 120_000);

  it('answers 404 for a host no route knows', async () => {
    expect(await httpGet(`${prefix}-unknown.localhost`)).toEqual({ status: 404, location: undefined, body: 'No app is deployed at this address.\n' });
  });

  it('refuses a write based on a stale config (ETag / If-Match)', async () => {
    const { config, etag } = await admin.currentConfig();
    expect(etag).toMatch(/^"\/config\/ [0-9a-f]+"$/);
    await admin.load(config, { ifMatch: etag }); // unchanged: same ETag afterwards
    await expect(admin.load(config, { ifMatch: '"/config/ 00000000"' })).rejects.toBeInstanceOf(CaddyConfigConflict);
    expect((await admin.currentConfig()).etag).toBe(etag);
  });

  it('restores routing from the route list after the config was lost', async () => {
    const { config: before, etag } = await admin.currentConfig();
    await admin.load({ admin: before!.admin }, { ifMatch: etag }); // a lost config: nothing but the admin API
    await expect(httpsGet(hostname)).rejects.toThrow();
    const started = Date.now();
    await admin.applyRoutes([route], tls); // rebuilt on top of the blank config
    await waitUntil('routing to come back', async () => (await httpsGet(hostname)).status === 200, 20_000, 100);
    notes.push(`routing restored ${Date.now() - started} ms after the rebuilt config was loaded`);
    expect(await httpGet(`${prefix}-unknown.localhost`)).toMatchObject({ status: 404 });
    // Others' routes (the routing service's, if it runs) come back from the snapshot, unless their
    // owner has restored them already (then the ETag no longer matches and theirs stays).
    const { etag: now } = await admin.currentConfig();
    await admin.load(buildCaddyConfig(before, [route], tls, ownership), { ifMatch: now }).catch(() => undefined);
  }, 60_000);

  it('keeps serving every request during a rolling update of the service', async () => {
    let done = false;
    const load = runLoad({
      hostname,
      ca: pebbleRoot(),
      ratePerSecond: 150,
      minRequests: 2_000,
      maxRequests: 8_000,
      maxDurationMs: 90_000,
      until: () => done,
    });
    await new Promise((r) => setTimeout(r, 1_000));
    const current = (await docker.getService(swarmService).inspect()) as Dockerode.Service;
    const spec = structuredClone(current.Spec!);
    (spec.TaskTemplate as Dockerode.ContainerTaskSpec).ContainerSpec!.Image = v2;
    const started = Date.now();
    await docker.getService(swarmService).update({ _query: { version: current.Version?.Index }, _body: spec } as never);
    let state: string | undefined;
    await waitUntil('the update to end', async () => ['completed', 'rollback_completed', 'paused', 'rollback_paused'].includes((state = await updateStatus())!), 90_000, 500).catch(
      () => undefined,
    );
    const updateMs = Date.now() - started;
    await new Promise((r) => setTimeout(r, 1_000));
    done = true;
    const report = await load;
    notes.push(
      `rolling update v1 → v2 (${state} after ${updateMs} ms): ${report.sent} requests in ${report.durationMs} ms (${report.ratePerSecond}/s), ` +
        `${report.failures.length} failed, versions ${JSON.stringify(report.versions)}` +
        (report.failures.length ? `, failures: ${JSON.stringify(report.failures.slice(0, 5))}` : ''),
    );
    expect(state).toBe('completed');
    expect(report.sent).toBeGreaterThanOrEqual(2_000);
    expect(report.versions.v1).toBeGreaterThan(0);
    expect(report.versions.v2).toBeGreaterThan(0);
    expect(report.failures).toEqual([]);
  }, 150_000);
});
