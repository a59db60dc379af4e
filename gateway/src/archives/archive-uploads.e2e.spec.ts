import { execFileSync } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, utimesSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { GraphqlTestClient, startPlatformProcess, startScratchPlatform, waitUntil, type PlatformProcess, type ScratchPlatform } from '@slipway/testing';

/**
 * Issue 10, "POST /archives needs no sign-in, has no rate limit, keeps uploads forever": the gateway
 * and the project service on a platform of their own (scratch NATS and FerretDB) and a data
 * directory of their own, so the sweep (SLIPWAY_ARCHIVE_TTL_S=3 here) sees only this test's uploads.
 * Nothing is deployed.
 */
describe('archive uploads', () => {
  let platform: ScratchPlatform;
  const processes: PlatformProcess[] = [];
  let dataDir: string;
  let archives: string;
  let port: number;
  let owner: GraphqlTestClient;
  let developer: GraphqlTestClient;
  let viewer: GraphqlTestClient;
  let projectA: string;
  let projectB: string;
  const password = 'member-password-1';
  let tarball: Buffer;

  const upload = async (projectId: string | undefined, token?: string, contentType = 'application/octet-stream') => {
    const res = await fetch(`http://127.0.0.1:${port}/archives${projectId ? `?projectId=${projectId}` : ''}`, {
      method: 'POST',
      headers: { 'content-type': contentType, ...(token ? { authorization: `Bearer ${token}` } : {}) },
      body: tarball,
    });
    return { status: res.status, retryAfter: res.headers.get('retry-after'), body: (await res.json()) as { archiveId?: string; error?: string } };
  };
  const stored = () => (existsSync(archives) ? readdirSync(archives).sort() : []);

  /** A member of `projectId` with `role`: signed up by invitation, or added at once when the account exists. */
  const member = async (projectId: string, role: string, client?: GraphqlTestClient) => {
    const me = client ?? new GraphqlTestClient(port);
    const email = client ? (await client.request<{ me: { email: string } }>('{ me { email } }')).me.email : `${role.toLowerCase()}-${randomUUID().slice(0, 8)}@scratch.test`;
    const { inviteMember } = await owner.request<{ inviteMember: { code: string | null } }>(
      `mutation($p: ID!, $e: String!) { inviteMember(projectId: $p, email: $e, role: ${role}) { code } }`,
      { p: projectId, e: email },
    );
    if (inviteMember.code) await me.signUp(email, password, inviteMember.code);
    return me;
  };
  const createService = (client: GraphqlTestClient, projectId: string, name: string, archiveId: string) =>
    client.execute<{ createService: { id: string } }>('mutation($i: CreateServiceInput!) { createService(input: $i) { id } }', {
      i: { projectId, name, port: 80, source: { archive: { id: archiveId } } },
    });

  beforeAll(async () => {
    platform = await startScratchPlatform();
    dataDir = mkdtempSync(join(tmpdir(), 'slipway-archives-e2e-'));
    archives = join(dataDir, 'archives');
    // A data directory of its own needs the key pairs the services open secrets with.
    execFileSync('bash', ['infra/scripts/secret-keys.sh'], { env: { ...process.env, SLIPWAY_DATA_DIR: dataDir }, stdio: 'ignore' });
    const env = { ...platform.env, SLIPWAY_DATA_DIR: dataDir, SLIPWAY_ARCHIVE_TTL_S: '3', SLIPWAY_RATE_ARCHIVE_UPLOADS_PER_10_MINUTES: '4' };
    processes.push(await startPlatformProcess('project', { env }));
    const gateway = await startPlatformProcess('gateway', { env, waitForReady: false });
    processes.push(gateway);
    port = gateway.port;
    await waitUntil('the gateway to be ready', async () => ((await gateway.health()).body.gateway as { status: string }).status === 'ready', 30_000).catch((err: Error) => {
      throw new Error(`${err.message}\n${gateway.output().slice(-3000)}`);
    });
    owner = new GraphqlTestClient(port);
    await owner.signUp('owner@scratch.test', 'scratch-owner-password'); // the first sign-up owns this instance
    const create = async (name: string) => (await owner.request<{ createProject: { id: string } }>(`mutation { createProject(input: { name: "${name}" }) { id } }`)).createProject.id;
    [projectA, projectB] = [await create('shop'), await create('blog')];
    developer = await member(projectA, 'DEVELOPER');
    await member(projectB, 'ADMIN', developer); // may create services in B, with its own uploads only
    viewer = await member(projectA, 'VIEWER');
    const dir = mkdtempSync(join(tmpdir(), 'archives-e2e-src-'));
    writeFileSync(join(dir, 'index.html'), '<h1>hello</h1>');
    tarball = execFileSync('tar', ['czf', '-', '-C', dir, 'index.html']);
    rmSync(dir, { recursive: true, force: true });
  }, 120_000);

  afterAll(async () => {
    await Promise.all([owner, developer, viewer].map((c) => c?.close()));
    await Promise.all(processes.map((p) => p.stop()));
    await platform?.stop();
    if (dataDir) rmSync(dataDir, { recursive: true, force: true });
  });

  it('security: an anonymous upload is refused (401) and nothing is stored', async () => {
    expect(await upload(projectA)).toMatchObject({ status: 401, body: { error: expect.stringMatching(/^Sign in first/) } });
    expect(await upload(projectA, 'slw_not-a-token')).toMatchObject({ status: 401 });
    expect(stored()).toEqual([]);
  });

  it('security: a viewer, a non-member or a read-only token may not upload (403); a developer may, for that project', async () => {
    expect(await upload(projectA, viewer.token)).toEqual({
      status: 403,
      retryAfter: null,
      body: { error: 'Your role in project shop is viewer; "deploy" needs developer or above' },
    });
    const outsider = await member(projectB, 'VIEWER');
    expect((await upload(projectA, outsider.token)).body.error).toBe('You are not a member of project shop; ask one of its owners or admins to invite you');
    const { createApiToken } = await developer.request<{ createApiToken: { token: string } }>('mutation { createApiToken(name: "ci", scopes: [READ]) { token } }');
    expect(await upload(projectA, createApiToken.token)).toMatchObject({ status: 403, body: { error: expect.stringMatching(/scopes \(read\) do not allow "deploy"/) } });
    expect(await upload(undefined, developer.token)).toMatchObject({ status: 400, body: { error: 'Name the project the archive is for: POST /archives?projectId=<project id>' } });
    expect(stored()).toEqual([]);

    // As `curl --data-binary @app.tar.gz` sends it (a form's content type), too.
    const accepted = await upload(projectA, developer.token, 'application/x-www-form-urlencoded');
    expect(accepted).toMatchObject({ status: 201, body: { archiveId: expect.stringMatching(/^a_[0-9a-z]{26}$/), format: 'tar.gz' } });
    const id = accepted.body.archiveId!;
    expect(stored()).toEqual([id, `${id}.json`]);
    const { me } = await developer.request<{ me: { id: string } }>('{ me { id } }');
    expect(JSON.parse(readFileSync(join(archives, `${id}.json`), 'utf8'))).toEqual({
      archiveId: id,
      projectId: projectA,
      uploadedBy: me.id,
      uploadedAt: expect.any(String),
      bytes: tarball.length,
      format: 'tar.gz',
    });
  });

  it('security: an upload for project A is refused as a source in project B, even to an admin of B; A uses it', async () => {
    const { archiveId } = (await upload(projectA, developer.token)).body;
    const refused = await createService(developer, projectB, 'stolen', archiveId!);
    expect(refused.errors?.[0]).toMatchObject({
      message: `Archive ${archiveId} was uploaded for another project: a service may use only archives uploaded for its own project; upload the source again with POST /archives?projectId=${projectB} and use the archiveId it answers`,
      extensions: { code: 'SOURCE_NOT_ALLOWED', field: 'input.source.archive.id' },
    });
    // Nor by changing an existing service's source, nor by the instance owner.
    const ownUpload = (await upload(projectB, developer.token)).body.archiveId!;
    const serviceB = (await createService(developer, projectB, 'blog-web', ownUpload)).data!.createService.id;
    const changed = await developer.execute('mutation($s: ID!, $a: ID!) { updateServiceSettings(serviceId: $s, input: { source: { archive: { id: $a } } }) { id } }', { s: serviceB, a: archiveId });
    expect(changed.errors?.[0]?.message).toMatch(/was uploaded for another project/);
    expect((await createService(owner, projectB, 'owner-too', archiveId!)).errors?.[0]?.message).toMatch(/was uploaded for another project/);
    expect((await createService(owner, projectB, 'made-up', 'a_00000000000000000000000000')).errors?.[0]?.message).toMatch(/is not among the uploads/);
    expect((await createService(owner, projectA, 'shop-web', archiveId!)).errors).toBeUndefined();
  });

  it('security: past the per-user rate (4 in 10 minutes here) an upload is refused with 429 and Retry-After', async () => {
    const uploader = await member(projectA, 'DEVELOPER');
    const statuses = [];
    for (let i = 0; i < 4; i++) statuses.push((await upload(projectA, uploader.token)).status);
    expect(statuses).toEqual([201, 201, 201, 201]);
    const before = stored().length;
    const refused = await upload(projectA, uploader.token);
    expect(refused).toMatchObject({ status: 429, body: { error: expect.stringMatching(/^Too many archive uploads by you: at most 4 in 10 minutes\. Try again in \d+ s$/) } });
    expect(Number(refused.retryAfter)).toBeGreaterThan(0);
    expect(stored().length).toBe(before);
    // Another user is counted apart.
    expect((await upload(projectA, developer.token)).status).toBe(201);
    await uploader.close();
  });

  it('security: the sweep deletes an upload no service used within the TTL, and abandoned partial files; a used one is kept', async () => {
    const unused = (await upload(projectA, owner.token)).body.archiveId!;
    const used = (await upload(projectA, owner.token)).body.archiveId!;
    expect((await createService(owner, projectA, `used-${randomUUID().slice(0, 4)}`, used)).errors).toBeUndefined();
    const abandoned = `.a_${'1'.repeat(26)}.part`;
    writeFileSync(join(archives, abandoned), 'half an upload');
    const old = new Date(Date.now() - 60_000);
    utimesSync(join(archives, abandoned), old, old);
    const foreign = join(archives, 'not-an-upload.txt');
    mkdirSync(archives, { recursive: true });
    writeFileSync(foreign, 'left alone');
    utimesSync(foreign, old, old);

    await waitUntil('the unused upload to be swept', () => !stored().includes(unused), 20_000, 200);
    expect(stored()).not.toContain(`${unused}.json`);
    expect(stored()).not.toContain(abandoned);
    expect(stored()).toEqual(expect.arrayContaining([used, `${used}.json`, 'not-an-upload.txt']));
    // Uploads the earlier tests' services use stay too, well past the TTL.
    expect(stored().filter((name) => /^a_[0-9a-z]{26}$/.test(name)).length).toBeGreaterThanOrEqual(3);
  }, 30_000);
});
