import { randomUUID } from 'node:crypto';
import { GraphqlTestClient, infraEnv, startPlatformProcess, waitUntil, type PlatformProcess } from '@slipway/testing';

/**
 * Where a service's code may come from, through the real gateway and project service: a project
 * admin may not build the host's own repositories (file://, local paths: the instance owner's
 * alone), nor plain http to a host the instance owner did not allow, nor another project's images.
 */
const CREATE = 'mutation($i: CreateServiceInput!) { createService(input: $i) { id source { kind } } }';
const UPDATE = 'mutation($s: ID!, $i: UpdateServiceSettingsInput!) { updateServiceSettings(serviceId: $s, input: $i) { id } }';
const SET_HOSTS = 'mutation($h: [String!]) { setInstanceSettings(allowedHttpGitHosts: $h) { allowedHttpGitHosts } }';

describe('security: service sources', () => {
  const processes: PlatformProcess[] = [];
  const unique = () => randomUUID().slice(0, 8);
  const tag = unique();
  const projectName = `sources-${tag}`;
  const otherProjectName = `sources-other-${tag}`;
  const registry = infraEnv().REGISTRY;
  let port: number;
  let owner: GraphqlTestClient;
  let admin: GraphqlTestClient;
  let projectId: string;
  let allowedBefore: string[] | null = null;

  const createService = (client: GraphqlTestClient, source: object) =>
    client.execute<{ createService: { id: string } }>(CREATE, { i: { projectId, name: `svc-${unique()}`, port: 3000, source } });
  const refusalOf = (body: { errors?: { message: string; extensions?: Record<string, unknown> }[] }) => {
    expect(body.errors).toHaveLength(1);
    return body.errors![0];
  };

  beforeAll(async () => {
    processes.push(await startPlatformProcess('project'));
    const gateway = await startPlatformProcess('gateway', { waitForReady: false });
    processes.push(gateway);
    port = gateway.port;
    await waitUntil('the gateway to answer', async () => (await gateway.health()).status > 0, 30_000);
    owner = new GraphqlTestClient(port);
    await owner.signInAsOwner();
    const create = async (name: string) =>
      (await owner.request<{ createProject: { id: string } }>(`mutation { createProject(input: { name: "${name}" }) { id } }`)).createProject.id;
    projectId = await create(projectName);
    await create(otherProjectName);
    const email = `sources-admin-${tag}@slipway.test`;
    const { inviteMember } = await owner.request<{ inviteMember: { code: string } }>(
      `mutation { inviteMember(projectId: "${projectId}", email: "${email}", role: ADMIN) { code } }`,
    );
    admin = new GraphqlTestClient(port);
    await admin.signUp(email, 'sources-admin-password-1', inviteMember.code);
    const settings = await owner.execute<{ instanceSettings: { allowedHttpGitHosts: string[] | null } }>('{ instanceSettings { allowedHttpGitHosts } }');
    allowedBefore = settings.data?.instanceSettings.allowedHttpGitHosts ?? null;
  }, 120_000);

  afterAll(async () => {
    if (allowedBefore) await owner?.execute(SET_HOSTS, { h: allowedBefore });
    await owner?.close();
    await admin?.close();
    await Promise.all(processes.map((p) => p.stop()));
  });

  it("refuses a project admin's file:// URL or local path, naming the rule; the instance owner's is accepted", async () => {
    for (const url of ['file:///var/lib/slipway/build/git/x', '/var/lib/slipway/build/git/x']) {
      const refusal = refusalOf(await createService(admin, { git: { url, ref: 'main' } }));
      expect(refusal.message).toMatch(/only the instance owner/i);
      expect(refusal.message).toMatch(/https:\/\//);
      expect(refusal.extensions).toMatchObject({ code: 'SOURCE_NOT_ALLOWED', field: 'input.source.git.url' });
    }
    const created = await createService(owner, { git: { url: 'file:///srv/git/shop.git', ref: 'main' } });
    expect(created.errors).toBeUndefined();
    expect(created.data?.createService.id).toMatch(/^s_/);
  });

  it("refuses a project admin's change of an existing service's source to a local repository", async () => {
    const created = await createService(admin, { git: { url: 'https://git.example/shop.git', ref: 'main' } });
    expect(created.errors).toBeUndefined();
    const serviceId = created.data!.createService.id;
    const refusal = refusalOf(await admin.execute(UPDATE, { s: serviceId, i: { source: { git: { url: 'file:///var/lib/slipway/build/git/x', ref: 'main' } } } }));
    expect(refusal.extensions).toMatchObject({ code: 'SOURCE_NOT_ALLOWED', field: 'input.source.git.url' });
  });

  it('refuses git://, ext:: and option-looking URLs for everyone', async () => {
    for (const url of ['git://git.example/shop.git', 'ext::sh -c touch% /tmp/pwned', '--upload-pack=touch /tmp/pwned']) {
      const refusal = refusalOf(await createService(owner, { git: { url, ref: 'main' } }));
      expect(refusal.extensions).toMatchObject({ code: 'SOURCE_NOT_ALLOWED', field: 'input.source.git.url' });
    }
  });

  it('refuses plain http to a host the instance owner did not allow, and accepts it once allowed', async () => {
    const host = `gitea-${tag}.lan`;
    const source = { git: { url: `http://${host}:3000/team/shop.git`, ref: 'main' } };
    const refusal = refusalOf(await createService(admin, source));
    expect(refusal.message).toMatch(new RegExp(`${host}.*allowedHttpGitHosts`));
    expect(refusal.extensions).toMatchObject({ code: 'SOURCE_NOT_ALLOWED', field: 'input.source.git.url' });

    const allowed = await owner.request<{ setInstanceSettings: { allowedHttpGitHosts: string[] } }>(SET_HOSTS, { h: [...(allowedBefore ?? []), host] });
    expect(allowed.setInstanceSettings.allowedHttpGitHosts).toContain(host);
    const denied = refusalOf(await admin.execute(SET_HOSTS, { h: ['evil.example'] }));
    expect(denied.extensions).toMatchObject({ code: 'FORBIDDEN' });
    const accepted = await createService(admin, source);
    expect(accepted.errors).toBeUndefined();
  });

  it("refuses an image naming another project's images in the local registry; its own and others' registries are fine", async () => {
    for (const ref of [`${registry}/${otherProjectName}/web:latest`, `localhost:${registry.split(':')[1] ?? '5000'}/${otherProjectName}/web@sha256:${'a'.repeat(64)}`]) {
      const refusal = refusalOf(await createService(admin, { image: { ref } }));
      expect(refusal.message).toMatch(new RegExp(`project ${otherProjectName}`));
      expect(refusal.extensions).toMatchObject({ code: 'SOURCE_NOT_ALLOWED', field: 'input.source.image.ref' });
    }
    for (const ref of [`${registry}/${projectName}/web:latest`, `${registry}/slipway-test/none:missing`, 'docker.io/library/nginx:1.27']) {
      const accepted = await createService(admin, { image: { ref } });
      expect(accepted.errors).toBeUndefined();
    }
  });
});
