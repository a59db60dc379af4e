import { execFileSync } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Dockerode from 'dockerode';
import { platformServices } from '@slipway/proto';
import {
  GitRepoFixture,
  GraphqlTestClient,
  edgeRoots,
  HttpsTestClient,
  infraEnv,
  nodeApp,
  nodeDockerfile,
  startPlatformProcess, startPlatformProcesses,
  waitUntil,
  type PlatformProcess,
} from '@slipway/testing';
import { registryAuthHeader } from '@slipway/secret-box';

/**
 * The deploy pipeline end to end, through the gateway's GraphQL API, against the real servers:
 * git → build → registry → Swarm → Caddy with a certificate from Pebble.
 */
// The instance's base domain (localhost here) gets Caddy's own CA; a domain of the service's own gets ACME (Pebble).
const BASE_DOMAIN = 'localhost';
const ACME_DOMAIN = 'slipway.test';
const DEPLOYMENT = 'id status url imageRef commitSha strategy error createdAt finishedAt';
type Deployment = { id: string; status: string; url: string | null; imageRef: string | null; commitSha: string | null; strategy: string | null; error: string | null };

describe('deploy pipeline: from a git repository to a live HTTPS URL', () => {
  const processes: PlatformProcess[] = [];
  const docker = new Dockerode();
  const project = `e2e-${randomUUID().slice(0, 6)}`;
  const repo = new GitRepoFixture();
  let api: GraphqlTestClient;
  let https: HttpsTestClient;
  let projectId: string;
  let webId: string;
  const deployments: Record<string, Deployment> = {};

  const createService = async (name: string, url: string, healthCheckPath?: string, source: object = { git: { url, ref: 'main' } }) =>
    (
      await api.request<{ createService: { id: string } }>(
        `mutation($input: CreateServiceInput!) { createService(input: $input) { id name } }`,
        { input: { projectId, name, source, port: 3000, healthCheckPath, replicas: 1 } },
      )
    ).createService.id;
  const upload = async (body: Buffer) => {
    const res = await fetch(`http://127.0.0.1:${processes.at(-1)!.port}/archives?projectId=${projectId}`, {
      method: 'POST',
      headers: { authorization: `Bearer ${api.token}`, 'content-type': 'application/octet-stream' },
      body,
    });
    return { status: res.status, body: (await res.json()) as { archiveId?: string; error?: string } };
  };

  /** Deploys, follows deploymentUpdated until the end, and collects the live log lines meanwhile. */
  const deploy = async (mutation: string, variables: Record<string, unknown>, timeoutMs = 150_000) => {
    const started = Date.now();
    const result = await api.request<Record<string, Deployment>>(mutation, variables);
    const first = Object.values(result)[0];
    let latest = first;
    const logs: string[] = [];
    const stopUpdates = api.subscribe<{ deploymentUpdated: Deployment }>(
      `subscription($id: ID!) { deploymentUpdated(deploymentId: $id) { ${DEPLOYMENT} } }`,
      { id: first.id },
      (v) => (latest = v.deploymentUpdated),
    );
    const stopLogs = api.subscribe<{ deploymentLogs: { message: string } }>(
      `subscription($id: ID!) { deploymentLogs(deploymentId: $id) { timestamp stream message } }`,
      { id: first.id },
      (v) => logs.push(v.deploymentLogs.message),
    );
    try {
      await waitUntil(`deployment ${first.id} to finish`, () => ['SUCCEEDED', 'FAILED', 'CANCELLED'].includes(latest.status), timeoutMs, 100).catch(
        (err: Error) => {
          throw new Error(`${err.message} (still ${latest.status}); its last log lines:\n${logs.slice(-20).join('\n')}`);
        },
      );
    } finally {
      stopUpdates();
      setTimeout(stopLogs, 500);
    }
    return { deployment: latest, logs, seconds: (Date.now() - started) / 1000 };
  };
  const deployService = (serviceId: string) =>
    deploy(`mutation($id: ID!) { deployService(serviceId: $id) { ${DEPLOYMENT} } }`, { id: serviceId });

  beforeAll(async () => {
    const env = { SLIPWAY_ROLLOUT_TIMEOUT_MS: '90000' };
    processes.push(...(await startPlatformProcesses(platformServices.map((s) => s.name), { env })));
    const gateway = await startPlatformProcess('gateway', { env, waitForReady: false });
    processes.push(gateway);
    api = new GraphqlTestClient(gateway.port);
    await waitUntil('the platform to be ready', async () => (await gateway.health()).status === 200, 60_000);
    await api.signInAsOwner();
    https = new HttpsTestClient(await edgeRoots());
    projectId = (await api.request<{ createProject: { id: string } }>(`mutation { createProject(input: { name: "${project}" }) { id name services { id name } } }`)).createProject.id;
  });

  afterAll(async () => {
    await api?.close();
    https?.close();
    await Promise.all(processes.map((p) => p.stop()));
    repo.remove();
    // Housekeeping for re-runs on the same machine (not part of what is asserted); E2E_KEEP=1 keeps it to look at.
    if (process.env.E2E_KEEP) return;
    for (const s of await docker.listServices({ filters: { label: [`slipway.project=${projectId}`] } })) await docker.getService(s.ID).remove();
  });

  it('deploys a Node app with a Dockerfile, served over HTTPS: its own name with Caddy\u2019s CA, a domain of its own with Pebble\u2019s', async () => {
    repo.commit({ ...nodeApp('v1'), Dockerfile: nodeDockerfile }, 'v1');
    webId = await createService('web', repo.url, '/healthz');
    const own = `web-${project}.${ACME_DOMAIN}`;
    await api.request(`mutation($s: ID!, $h: String!) { addDomain(serviceId: $s, hostname: $h) { id } }`, { s: webId, h: own });
    const { deployment, logs } = await deployService(webId);
    expect(deployment).toMatchObject({ status: 'SUCCEEDED', strategy: 'dockerfile', url: `https://web-${project}.${BASE_DOMAIN}`, error: null });
    expect(deployment.commitSha).toMatch(/^[0-9a-f]{40}$/);
    expect(logs.length).toBeGreaterThan(5);
    expect(logs.join('\n')).toMatch(/Step 1\/\d+ : FROM node:24-bookworm-slim/);
    const res = await https.get(deployment.url!);
    expect(res).toMatchObject({ status: 200, body: 'hello from v1\n' });
    expect(res.issuer).toMatch(/Caddy Local Authority/);
    const acme = await https.get(`https://${own}/`);
    expect(acme).toMatchObject({ status: 200, body: 'hello from v1\n' });
    expect(acme.issuer).toMatch(/Pebble/i);
    // Both certificates are in the API, issued.
    const { certificates } = await api.request<{ certificates: { hostname: string; status: string; issuer: string }[] }>(
      'query($s: ID!) { certificates(serviceId: $s) { hostname status issuer } }',
      { s: webId },
    );
    expect(certificates).toEqual([
      { hostname: `web-${project}.${BASE_DOMAIN}`, status: 'ISSUED', issuer: expect.stringMatching(/Caddy Local Authority/) },
      { hostname: own, status: 'ISSUED', issuer: expect.stringMatching(/Pebble/i) },
    ]);
    deployments.v1 = deployment;
  });

  it('redeploys a new commit while a client sending requests continuously sees zero failures', async () => {
    repo.commit(nodeApp('v2'), 'v2');
    const url = deployments.v1.url!;
    const load = https.load(url, 100, 30_000);
    const { deployment, logs } = await deployService(webId);
    if (deployment.status !== 'SUCCEEDED') console.log(logs.join('\n'));
    // Keep the load on until at least 2,000 requests have been sent across the redeploy.
    await waitUntil('2,000 requests', () => load.sentSoFar() >= 2_000, 60_000);
    const traffic = await load.stop();
    console.log(`redeploy under load: ${traffic.sent} requests at ${traffic.ratePerSecond.toFixed(0)}/s, ${traffic.failed} failed`);
    expect({ status: deployment.status, error: deployment.error }).toEqual({ status: 'SUCCEEDED', error: null });
    expect(traffic).toMatchObject({ failed: 0, failures: [] });
    expect((await https.get(url)).body).toBe('hello from v2\n');
    deployments.v2 = deployment;
  });

  it('rolls back to the first deployment in at most 10 seconds, without a rebuild', async () => {
    const { deployment, seconds } = await deploy(
      `mutation($s: ID!, $to: ID!) { rollbackService(serviceId: $s, toDeploymentId: $to) { ${DEPLOYMENT} } }`,
      { s: webId, to: deployments.v1.id },
    );
    console.log(`rollback took ${seconds.toFixed(1)} s`);
    expect(deployment).toMatchObject({ status: 'SUCCEEDED', strategy: 'rollback', imageRef: deployments.v1.imageRef });
    expect(seconds).toBeLessThanOrEqual(10);
    expect((await https.get(deployments.v1.url!)).body).toBe('hello from v1\n');
  });

  it('fails a Dockerfile that does not build, naming the step, while the previous version keeps serving', async () => {
    repo.commit({ Dockerfile: nodeDockerfile.replace('WORKDIR /app', 'WORKDIR /app\nRUN echo "about to fail" && exit 3') }, 'broken build');
    const { deployment } = await deployService(webId);
    expect(deployment.status).toBe('FAILED');
    expect(deployment.error).toMatch(/^Build failed: Step \d+\/\d+ RUN echo "about to fail" && exit 3 failed: exit code 3$/);
    expect((await https.get(deployments.v1.url!)).body).toBe('hello from v1\n');
  });

  it('fails an app that never becomes healthy, rolls back, and leaves nothing behind', async () => {
    const before = {
      services: (await docker.listServices({ filters: { label: [`slipway.project=${projectId}`] } })).length,
      networks: (await docker.listNetworks({ filters: { name: [`slipway-${project}`] } })).length,
    };
    repo.commit({ ...nodeApp('v3', { healthy: false }), Dockerfile: nodeDockerfile }, 'unhealthy');
    const { deployment, logs } = await deployService(webId);
    expect(deployment.status).toBe('FAILED');
    expect(deployment.error).toMatch(/health/i);
    expect((await https.get(deployments.v1.url!)).body).toBe('hello from v1\n');
    expect((await docker.listServices({ filters: { label: [`slipway.project=${projectId}`] } })).length).toBe(before.services);
    expect((await docker.listNetworks({ filters: { name: [`slipway-${project}`] } })).length).toBe(before.networks);
    // The image built for it was removed from the registry.
    const tag = deployment.imageRef!.split(':').pop();
    const tags = (await (await fetch(`http://${infraEnv().REGISTRY}/v2/${project}/web/tags/list`, { headers: registryAuthHeader('build') })).json()) as { tags: string[] };
    expect(tags.tags).not.toContain(tag);
    expect(logs.join('\n')).toMatch(/deleted/);
  });

  it('refuses a project name that is not a DNS label, naming the rule', async () => {
    await expect(api.request(`mutation { createProject(input: { name: "My_Shop" }) { id } }`)).rejects.toThrow(
      'Name must be lower-case letters, digits and "-", starting and ending with a letter or digit',
    );
    await expect(api.request(`mutation { createProject(input: { name: "${project}" }) { id } }`)).rejects.toThrow(
      `A project named "${project}" already exists; choose another name`,
    );
  });

  it('deploys uploaded archives, tar.gz and zip, and refuses anything else', async () => {
    // A tarball with one top folder (as GitHub's downloads have), and a flat zip.
    const tarDir = mkdtempSync(join(tmpdir(), 'e2e-tar-'));
    mkdirSync(join(tarDir, 'public-site'));
    writeFileSync(join(tarDir, 'public-site', 'index.html'), '<h1>from a tarball</h1>');
    const tarball = execFileSync('tar', ['czf', '-', '-C', tarDir, 'public-site']);
    const zipDir = mkdtempSync(join(tmpdir(), 'e2e-zip-'));
    writeFileSync(join(zipDir, 'index.html'), '<h1>from a zip</h1>');
    execFileSync('bsdtar', ['-a', '-c', '-f', join(zipDir, 'site.zip'), '-C', zipDir, 'index.html']);
    try {
      expect(await upload(Buffer.from('just some text'))).toEqual({ status: 415, body: { error: 'The body is neither a tar.gz nor a zip archive' } });
      for (const [name, archive, body] of [
        ['tarball', tarball, 'from a tarball'],
        ['zipped', readFileSync(join(zipDir, 'site.zip')), 'from a zip'],
      ] as const) {
        const uploaded = await upload(archive);
        expect(uploaded.status).toBe(201);
        const id = await createService(name, '', undefined, { archive: { id: uploaded.body.archiveId } });
        const { deployment } = await deployService(id);
        expect({ name, status: deployment.status, error: deployment.error, strategy: deployment.strategy }).toEqual({ name, status: 'SUCCEEDED', error: null, strategy: 'static' });
        expect((await https.get(deployment.url!)).body).toContain(body);
      }
    } finally {
      for (const dir of [tarDir, zipDir]) rmSync(dir, { recursive: true, force: true });
    }
  });

  it('builds and deploys a Node app without a Dockerfile, an SPA and a static site', async () => {
    const node = new GitRepoFixture();
    node.commit(
      {
        'package.json': JSON.stringify({ name: 'plain-node', private: true, scripts: { start: 'node index.js' }, dependencies: { ms: '2.1.3' } }),
        'package-lock.json': readFileSync(`${__dirname}/fixtures/ms-package-lock.json`, 'utf8'),
        'index.js': `const ms = require('ms'); require('node:http').createServer((q, s) => s.end('node says ' + ms(60000))).listen(process.env.PORT || 3000);`,
      },
      'node app',
    );
    const spa = new GitRepoFixture();
    spa.commit(
      {
        'package.json': JSON.stringify({ name: 'spa', private: true, scripts: { build: 'node build.js' } }),
        'build.js': `require('fs').mkdirSync('dist', { recursive: true }); require('fs').writeFileSync('dist/index.html', '<h1>spa built</h1>');`,
      },
      'spa',
    );
    const site = new GitRepoFixture();
    site.commit({ 'index.html': '<h1>static site</h1>' }, 'static');
    try {
      for (const [name, repoOf, strategy, body] of [
        ['plain', node, 'node', 'node says 1m'],
        ['spa', spa, 'spa', '<h1>spa built</h1>'],
        ['site', site, 'static', '<h1>static site</h1>'],
      ] as const) {
        const id = await createService(name, repoOf.url);
        const { deployment } = await deployService(id);
        expect({ name, status: deployment.status, error: deployment.error, strategy: deployment.strategy }).toEqual({ name, status: 'SUCCEEDED', error: null, strategy });
        expect((await https.get(deployment.url!)).body).toContain(body);
      }
    } finally {
      [node, spa, site].forEach((r) => r.remove());
    }
  });

  it('rebuilds the deployments read model from the first event into the same documents (admin operation)', async () => {
    const list = `query($s: ID!) { deployments(serviceId: $s) { ${DEPLOYMENT} } }`;
    const before = await api.request(list, { s: webId });
    const { rebuildReadModel } = await api.request<{ rebuildReadModel: { events: number; documents: number } }>(
      `mutation { rebuildReadModel(name: "deployments-view") { name events documents seconds } }`,
    );
    expect(rebuildReadModel.documents).toBeGreaterThanOrEqual(5);
    expect(await api.request(list, { s: webId })).toEqual(before);
    await expect(api.request(`mutation { rebuildReadModel(name: "nope") { name } }`)).rejects.toThrow(/No read model "nope" \(there are: alert-rules-view, alerts-view, audit-log, backups-view, certificates-view, cleanup-runs-view, compose-imports-view, credentials-view, deployments-view, env-vars-view, instance-settings-view, invitations-view, members-view, notification-channels-view, preview-settings-view, previews-view, projects-view, quota-view, services-view, smtp-settings-view, users-view\)/);
  });

  it('pages through deployments and the audit log with cursors, newest first', async () => {
    type Page = { deploymentsPage: { deployments: { id: string; createdAt: string }[]; nextCursor: string | null } };
    const page = (after?: string | null) =>
      api.request<Page>(`query($s: ID!, $after: String) { deploymentsPage(serviceId: $s, first: 2, after: $after) { deployments { id createdAt } nextCursor } }`, { s: webId, after });
    const seen: string[] = [];
    let cursor: string | null | undefined;
    do {
      const { deploymentsPage } = await page(cursor);
      expect(deploymentsPage.deployments.length).toBeLessThanOrEqual(2);
      seen.push(...deploymentsPage.deployments.map((d) => d.id));
      cursor = deploymentsPage.nextCursor;
    } while (cursor);
    const all = (await api.request<{ deployments: { id: string }[] }>(`query($s: ID!) { deployments(serviceId: $s) { id } }`, { s: webId })).deployments;
    expect(seen).toEqual(all.map((d) => d.id));
    expect(all.length).toBeGreaterThanOrEqual(5);
    await expect(page('not-a-cursor')).rejects.toThrow('after is not a cursor this API gave out');

    type Audit = { auditLog: { entries: { id: string; type: string; actor: { kind: string; id: string }; projectId: string | null }[]; nextCursor: string | null } };
    const first = (await api.request<Audit>(`{ auditLog(first: 200) { entries { id type actor { kind id } projectId } nextCursor } }`)).auditLog;
    const mine = first.entries.filter((e) => e.projectId === projectId);
    expect(mine.map((e) => e.type)).toEqual(expect.arrayContaining(['ProjectCreated', 'ServiceCreated', 'DeploymentRequested']));
    expect(mine.find((e) => e.type === 'ProjectCreated')?.actor).toEqual({ kind: 'user', id: expect.stringMatching(/^u_/) });
    if (first.nextCursor) {
      const next = (await api.request<Audit>(`query($a: String) { auditLog(first: 5, after: $a) { entries { id type actor { kind id } projectId } nextCursor } }`, { a: first.nextCursor })).auditLog;
      expect(next.entries.some((e) => first.entries.some((f) => f.id === e.id))).toBe(false);
    }
  });
});
