import { execFile } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { mkdtempSync, readdirSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import Dockerode from 'dockerode';
import { registryAuthHeader } from '@slipway/secret-box';
import { buildTestApp, edgeRoots, HttpsTestClient, infraEnv, repoRoot, startScratchPlatform, startSignedInPlatform, waitUntil, type ScratchPlatform, type SignedInPlatform } from '@slipway/testing';

const run = promisify(execFile);

/**
 * The restore drill (issue 14): two projects, each with a volume its app wrote to, on an instance
 * of their own (scratch NATS and FerretDB). `backup.cli` writes the archive; then the instance is
 * wiped as a lost machine would be (its event store and read store gone, its Swarm services,
 * networks, volumes, local images and the registry's tag of its image deleted); `restore.cli`
 * brings the archive into an empty instance, and the platform started on it must serve the same
 * files at the same addresses, with the audit log whole.
 */
const PASSPHRASE = 'restore drill passphrase 1';
type Deployment = { id: string; status: string; url: string | null; error: string | null };
type AuditPage = { auditLog: { entries: { id: string; type: string }[]; nextCursor: string | null } };

describe('restore drill: back up two projects with volumes, wipe the instance, restore it', () => {
  const docker = new Dockerode();
  const env = infraEnv();
  const tag = randomUUID().slice(0, 6);
  const archives = mkdtempSync(join(tmpdir(), 'slipway-restore-drill-'));
  let scratch: ScratchPlatform | undefined;
  let platform: SignedInPlatform | undefined;
  let image: string;
  let https: HttpsTestClient;
  const projects: { name: string; id: string; serviceId: string; url: string; content: string }[] = [];

  const gql = <T>(query: string, variables: Record<string, unknown> = {}) => platform!.api.request<T>(query, variables);
  const follow = async (id: string) => {
    let latest: Deployment | undefined;
    await waitUntil(`deployment ${id} to end`, async () => {
      latest = (await gql<{ deployment: Deployment | null }>('query($id: ID!) { deployment(id: $id) { id status url error } }', { id })).deployment ?? undefined;
      return ['SUCCEEDED', 'FAILED', 'CANCELLED'].includes(latest?.status ?? '');
    }, 180_000, 500);
    expect({ status: latest!.status, error: latest!.error }).toEqual({ status: 'SUCCEEDED', error: null });
    return latest!;
  };
  const auditIds = async () => {
    const ids: string[] = [];
    let after: string | null = null;
    do {
      const page: AuditPage = await gql<AuditPage>('query($a: String) { auditLog(first: 200, after: $a) { entries { id type } nextCursor } }', { a: after });
      ids.push(...page.auditLog.entries.map((e) => e.id));
      after = page.auditLog.nextCursor;
    } while (after);
    return ids;
  };
  const deploymentsOf = async (serviceId: string) =>
    (await gql<{ deploymentsPage: { deployments: (Deployment & { strategy: string | null; rollbackOf: { id: string } | null })[] } }>(
      'query($s: ID!) { deploymentsPage(serviceId: $s) { deployments { id status url error strategy rollbackOf { id } } } }',
      { s: serviceId },
    )).deploymentsPage.deployments;
  const fileAt = async (url: string) => https.get(new URL('/files/note.txt', url).toString()).catch(() => ({ status: 0, body: '' }));
  const cli = async (name: 'backup' | 'restore', natsUrl: string, args: string[] = []) => {
    const { stdout } = await run('node', [join(repoRoot, `dist/libs/backup/src/${name}.cli.js`), ...args], {
      env: { ...process.env, NATS_URL: natsUrl, SLIPWAY_BACKUP_DIR: archives, SLIPWAY_BACKUP_PASSPHRASE: PASSPHRASE },
      timeout: 300_000,
    });
    return { stdout, result: JSON.parse(stdout.trim().split('\n').pop()!) as Record<string, unknown> };
  };
  const labelled = (p: { id: string }) => ({ filters: { label: [`slipway.project=${p.id}`] } });

  /**
   * What a lost machine no longer has: the apps' services, networks, routes and volumes (the lost
   * instance deletes its projects, which removes each of them as a person would), then its event
   * store and read store, the local copy of the image and the registry's.
   */
  const wipe = async () => {
    for (const p of projects) await gql('mutation($id: ID!) { deleteProject(id: $id, deleteVolumes: true) }', { id: p.id });
    const names = new Set(projects.map((p) => `slipway-${p.name}`));
    await waitUntil('the projects\' services, networks and volumes to be gone', async () => {
      const left = await Promise.all(projects.map(async (p) => (await docker.listServices(labelled(p))).length + ((await docker.listVolumes(labelled(p))).Volumes ?? []).length));
      return left.every((n) => n === 0) && !(await docker.listNetworks()).some((n) => names.has(n.Name));
    }, 90_000, 500);
    await platform!.stop();
    platform = undefined;
    await scratch!.stop(); // its NATS and FerretDB data directories go with it
    scratch = undefined;
    const [repository, version] = image.slice(env.REGISTRY.length + 1).split(':');
    const manifest = await fetch(`http://${env.REGISTRY}/v2/${repository}/manifests/${version}`, {
      method: 'HEAD',
      headers: { ...registryAuthHeader('build'), accept: 'application/vnd.docker.distribution.manifest.v2+json, application/vnd.oci.image.manifest.v1+json' },
    });
    const digest = manifest.headers.get('docker-content-digest')!;
    expect((await fetch(`http://${env.REGISTRY}/v2/${repository}/manifests/${digest}`, { method: 'DELETE', headers: registryAuthHeader('build') })).status).toBe(202);
    for (const i of await docker.listImages({ filters: { reference: [`${env.REGISTRY}/${repository}`] } })) {
      if (i.RepoTags?.some((t) => t.endsWith(`:${version}`)) || i.RepoDigests?.some((d) => d.endsWith(digest))) await docker.getImage(i.Id).remove({ force: true }).catch(() => undefined);
    }
  };

  beforeAll(async () => {
    https = new HttpsTestClient(await edgeRoots());
    image = await buildTestApp(docker, { registry: env.REGISTRY, repository: 'e2e-restore/app', version: `v1-${tag}`, healthy: true });
    scratch = await startScratchPlatform();
    platform = await startSignedInPlatform({ env: scratch.env, readyWithinMs: 90_000 });
    for (const letter of ['a', 'b']) {
      const name = `e2e-rd-${tag}-${letter}`;
      const id = await platform.createProject(name);
      const { createService } = await gql<{ createService: { id: string } }>('mutation($i: CreateServiceInput!) { createService(input: $i) { id } }', {
        i: { projectId: id, name: 'web', port: 3000, healthCheckPath: '/healthz', source: { image: { ref: image } } },
      });
      await gql('mutation($s: ID!) { addVolume(serviceId: $s, name: "data", mountPath: "/data") { id } }', { s: createService.id });
      const { deployService } = await gql<{ deployService: Deployment }>('mutation($id: ID!) { deployService(serviceId: $id) { id status url error } }', { id: createService.id });
      const { url } = await follow(deployService.id);
      const content = `project ${letter} ${randomUUID()}`;
      const put = await https.get(new URL('/files/note.txt', url!).toString(), 10_000, { method: 'PUT', body: content });
      expect(put.status).toBe(201);
      projects.push({ name, id, serviceId: createService.id, url: url!, content });
    }
  }, 600_000);

  afterAll(async () => {
    // The restored instance deletes what it runs; anything a failed step left is removed by label.
    if (platform) {
      for (const p of projects) await gql('mutation($id: ID!) { deleteProject(id: $id, deleteVolumes: true) }', { id: p.id }).catch(() => undefined);
      await platform.stop();
    }
    await scratch?.stop();
    for (const p of projects) {
      for (const s of await docker.listServices(labelled(p))) await docker.getService(s.ID).remove().catch(() => undefined);
      await waitUntil('the containers to go', async () => (await docker.listContainers({ all: true, ...labelled(p) })).length === 0, 60_000, 500).catch(() => undefined);
      for (const n of await docker.listNetworks(labelled(p))) await docker.getNetwork(n.Id).remove().catch(() => undefined);
      for (const v of (await docker.listVolumes(labelled(p))).Volumes ?? []) await docker.getVolume(v.Name).remove().catch(() => undefined);
    }
    rmSync(archives, { recursive: true, force: true });
    https?.close();
  }, 180_000);

  it('serves the same files at the same addresses after the restore, with every audit entry there was', async () => {
    const auditBefore = await auditIds();
    const projectsBefore = (await gql<{ projects: { id: string; name: string }[] }>('{ projects { id name } }')).projects;
    const deploymentsBefore = await Promise.all(projects.map((p) => deploymentsOf(p.serviceId)));
    expect(projectsBefore.map((p) => p.name)).toEqual(expect.arrayContaining(projects.map((p) => p.name)));

    let t = Date.now();
    const backup = await cli('backup', scratch!.NATS_URL);
    const backupMs = Date.now() - t;
    const archive = String(backup.result.file);
    expect(readdirSync(archives)).toEqual([archive.split('/').pop()]);
    expect(statSync(archive).mode & 0o777).toBe(0o600);
    expect(backup.stdout).toMatch(/2 volumes/);
    expect(backup.stdout).toMatch(/1 images/);

    await wipe();
    for (const p of projects) expect((await fileAt(p.url)).body).not.toBe(p.content);

    const fresh = await startScratchPlatform();
    scratch = fresh;
    t = Date.now();
    const restored = await cli('restore', fresh.NATS_URL, [archive]);
    const restoreMs = Date.now() - t;
    expect(restored.result).toMatchObject({ images: 1, volumes: 2 });
    expect(restored.result.blobsUploaded).toBeGreaterThanOrEqual(0);
    // A second restore into the same instance is refused: it holds events now.
    await expect(cli('restore', fresh.NATS_URL, [archive])).rejects.toThrow(/restore onto a fresh instance/);

    t = Date.now();
    platform = await startSignedInPlatform({ env: fresh.env, readyWithinMs: 90_000 });
    for (const p of projects) {
      await waitUntil(`${p.name} to serve its file again`, async () => (await fileAt(p.url)).body === p.content, 240_000, 1_000).catch(async (err: Error) => {
        const seen = await fileAt(p.url);
        const deployments = await gql<{ deploymentsPage: { deployments: Deployment[] } }>('query($s: ID!) { deploymentsPage(serviceId: $s) { deployments { id status url error } } }', { s: p.serviceId }).catch((e: Error) => e.message);
        throw new Error(`${err.message}: it answers ${seen.status} ${seen.body.slice(0, 200)}; its deployments: ${JSON.stringify(deployments)}`);
      });
    }
    const servingMs = Date.now() - t;
    // One deployment more per service, a rollback to the one that ran: the restored services took up
    // the history where it ended, and redid nothing of it.
    for (const [i, p] of projects.entries()) {
      const fresh = async () => (await deploymentsOf(p.serviceId)).filter((d) => !deploymentsBefore[i].some((b) => b.id === d.id));
      // The app answers once its task runs; the deployment ends when Swarm calls the update complete.
      await waitUntil(`${p.name}'s new deployment to end`, async () => (await fresh()).every((d) => ['SUCCEEDED', 'FAILED', 'CANCELLED'].includes(d.status)), 120_000, 500);
      const after = await deploymentsOf(p.serviceId);
      expect(after.filter((d) => !deploymentsBefore[i].some((b) => b.id === d.id))).toEqual([
        expect.objectContaining({ status: 'SUCCEEDED', strategy: 'rollback', rollbackOf: { id: deploymentsBefore[i][0].id } }),
      ]);
      expect(after.length).toBe(deploymentsBefore[i].length + 1);
    }

    const auditAfter = await auditIds();
    expect(auditAfter).toEqual(expect.arrayContaining(auditBefore));
    expect((await gql<{ projects: { id: string; name: string }[] }>('{ projects { id name } }')).projects).toEqual(expect.arrayContaining(projectsBefore));
    // Each service runs once, on the network of its project, with its one volume.
    for (const p of projects) {
      expect((await docker.listServices(labelled(p))).length).toBe(1);
      expect((await docker.listVolumes(labelled(p))).Volumes?.length).toBe(1);
    }
    console.log(
      `restore drill: backup ${backupMs} ms (${statSync(archive).size} bytes), restore ${restoreMs} ms, ` +
        `platform start → both apps serving ${servingMs} ms; audit entries ${auditBefore.length} before, ${auditAfter.length} after`,
    );
  }, 900_000);
});
