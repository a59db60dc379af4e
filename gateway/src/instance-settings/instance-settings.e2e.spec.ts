import { GraphqlTestClient, startPlatformProcess, startScratchPlatform, waitUntil, type PlatformProcess, type ScratchPlatform } from '@slipway/testing';

/**
 * The instance's settings through the API, on a platform of its own (NATS and FerretDB in temporary
 * directories): changing the shared instance's base domain would change every app's name there.
 * No routing service runs here: it would write into the machine's Caddy.
 */
describe('instance settings', () => {
  let platform: ScratchPlatform;
  const processes: PlatformProcess[] = [];
  let api: GraphqlTestClient;
  const SETTINGS = 'baseDomain acmeDirectory';
  const le = 'https://acme-v02.api.letsencrypt.org/directory';
  const set = (args: string) => api.execute<{ setInstanceSettings: { baseDomain: string; acmeDirectory: string | null } }>(`mutation { setInstanceSettings(${args}) { ${SETTINGS} } }`);

  beforeAll(async () => {
    platform = await startScratchPlatform();
    processes.push(await startPlatformProcess('project', { env: platform.env }));
    const gateway = await startPlatformProcess('gateway', { env: platform.env, waitForReady: false });
    processes.push(gateway);
    api = new GraphqlTestClient(gateway.port);
    await waitUntil('the gateway to be ready', async () => ((await gateway.health()).body.gateway as { status: string }).status === 'ready', 30_000).catch(async (err: Error) => {
      throw new Error(`${err.message}\n${gateway.output().slice(-3000)}`);
    });
    await api.signUp('owner@scratch.test', 'scratch-owner-password'); // the first sign-up owns this instance
  }, 90_000);

  afterAll(async () => {
    await api?.close();
    await Promise.all(processes.map((p) => p.stop()));
    await platform?.stop();
  });

  it('starts at localhost with the machine\u2019s CA, and changes only what is given', async () => {
    expect((await api.request<{ instanceSettings: object }>(`{ instanceSettings { ${SETTINGS} } }`)).instanceSettings).toEqual({ baseDomain: 'localhost', acmeDirectory: null });
    expect((await set('baseDomain: "Apps.Example.com."')).data?.setInstanceSettings).toEqual({ baseDomain: 'apps.example.com', acmeDirectory: null });
    expect((await set(`acmeDirectory: "${le}"`)).data?.setInstanceSettings).toEqual({ baseDomain: 'apps.example.com', acmeDirectory: le });
    expect((await set('acmeDirectory: ""')).data?.setInstanceSettings).toEqual({ baseDomain: 'apps.example.com', acmeDirectory: null });
  });

  it('refuses a bad value in the caller\u2019s words, naming the argument', async () => {
    expect((await set('baseDomain: "not a domain"')).errors?.[0]).toMatchObject({
      message: expect.stringContaining('Base domain must be a lower-case domain like apps.example.com, or localhost'),
      extensions: { field: 'baseDomain' },
    });
    expect((await set('acmeDirectory: "http://ca.example.com/directory"')).errors?.[0]).toMatchObject({
      message: expect.stringContaining('ACME directory must be an https:// URL'),
      extensions: { field: 'acmeDirectory' },
    });
    expect((await set('allowedHttpGitHosts: ["http://gitea.lan/team"]')).errors?.[0]).toMatchObject({
      message: expect.stringContaining('must be a lower-case host like gitea.lan or 192.168.1.10:3000 (no scheme, no path)'),
      extensions: { field: expect.stringMatching(/^allowedHttpGitHosts/) },
    });
    const none = await api.execute('mutation { setInstanceSettings { baseDomain } }');
    expect(none.errors?.[0]?.message).toBe('Give baseDomain, acmeDirectory or allowedHttpGitHosts');
  });

  it('keeps names under the base domain for the platform: a service cannot claim one as its own domain', async () => {
    const projectId = (await api.request<{ createProject: { id: string } }>('mutation { createProject(input: { name: "shop" }) { id } }')).createProject.id;
    const serviceId = (
      await api.request<{ createService: { id: string } }>('mutation($i: CreateServiceInput!) { createService(input: $i) { id } }', {
        i: { projectId, name: 'web', port: 3000, source: { image: { ref: '127.0.0.1:5000/shop/web:1' } } },
      })
    ).createService.id;
    const refused = await api.execute(`mutation { addDomain(serviceId: "${serviceId}", hostname: "web.apps.example.com") { id } }`);
    expect(refused.errors?.[0]).toMatchObject({ message: expect.stringContaining("is under apps.example.com, the platform's own domain"), extensions: { code: 'RESERVED_DOMAIN' } });
  });
});
