import { randomBytes, randomUUID } from 'node:crypto';
import { connect, type NatsConnection } from '@nats-io/transport-node';
import { JetStreamEventStore } from '@slipway/event-store';
import { viewSubject } from '@slipway/proto';
import { GraphqlTestClient, infraEnv, startPlatformProcess, waitUntil, type PlatformProcess } from '@slipway/testing';
import { revHeaders } from '../read-models/view-cache';
import { tokenHash } from './credentials';
import { busCredentials } from '@slipway/messaging';

/** Sign-up, sessions in cookies, API tokens and invitations, against the real gateway and project service. */
describe('identity: accounts, sessions, tokens and invitations', () => {
  const processes: PlatformProcess[] = [];
  let port: number;
  let owner: GraphqlTestClient;
  /** An admin of the project, by invitation: the instance's owner may be a real person, whose password and tokens the tests leave alone. */
  let mia: GraphqlTestClient;
  const miaAccount = { email: `mia-${randomUUID().slice(0, 8)}@slipway.test`, password: 'mia-password-1' };
  let projectId: string;
  let nc: NatsConnection;
  let store: JetStreamEventStore;
  const unique = () => randomUUID().slice(0, 8);
  const client = () => new GraphqlTestClient(port);
  const codesOf = (body: { errors?: { extensions?: { code?: string } }[] }) => (body.errors ?? []).map((e) => e.extensions?.code);
  const post = (body: object, headers: Record<string, string> = {}) =>
    fetch(`http://127.0.0.1:${port}/graphql`, { method: 'POST', headers: { 'content-type': 'application/json', ...headers }, body: JSON.stringify(body) });

  beforeAll(async () => {
    processes.push(await startPlatformProcess('project'));
    const gateway = await startPlatformProcess('gateway', { waitForReady: false });
    processes.push(gateway);
    port = gateway.port;
    await waitUntil('the gateway to answer', async () => (await gateway.health()).status > 0, 30_000);
    owner = client();
    await owner.signInAsOwner();
    projectId = (await owner.request<{ createProject: { id: string } }>(`mutation { createProject(input: { name: "ident-${unique()}" }) { id } }`)).createProject.id;
    const { inviteMember } = await owner.request<{ inviteMember: { code: string } }>(
      `mutation { inviteMember(projectId: "${projectId}", email: "${miaAccount.email}", role: ADMIN) { code } }`,
    );
    mia = client();
    await mia.signUp(miaAccount.email, miaAccount.password, inviteMember.code);
    nc = await connect({ servers: infraEnv().NATS_URL, ...busCredentials('operator') });
    store = await JetStreamEventStore.create(nc);
  }, 120_000);

  afterAll(async () => {
    await owner?.close();
    await mia?.close();
    await nc?.close();
    await Promise.all(processes.map((p) => p.stop()));
  });

  it('refuses a sign-up without an invitation once the instance has an owner, and leaves no account', async () => {
    const email = `walk-in-${unique()}@slipway.test`;
    const body = await client().execute(`mutation { signUp(email: "${email}", password: "long-enough-password") { token } }`);
    expect(body.errors?.[0]).toMatchObject({ message: expect.stringMatching(/sign-up is by invitation; ask a project owner or admin to invite you/), extensions: { code: 'SIGN_UP_BY_INVITATION' } });
    const signIn = await client().execute(`mutation { signIn(email: "${email}", password: "long-enough-password") { token } }`);
    expect(signIn.errors?.[0].message).toBe('The email or the password is wrong');
    const weak = await client().execute(`mutation { signUp(email: "not-an-email", password: "short") { token } }`);
    expect(weak.errors?.[0]).toMatchObject({ message: expect.stringMatching(/^Email must be an email address/), extensions: { field: 'email' } });
  });

  it('keeps the session in an HttpOnly SameSite cookie, and sign-out ends it on the server', async () => {
    const res = await post({ query: 'mutation($e: String!, $p: String!) { signIn(email: $e, password: $p) { token user { email } } }', variables: { e: miaAccount.email, p: miaAccount.password } });
    const cookie = res.headers.get('set-cookie') ?? '';
    expect(cookie).toMatch(/^slipway_session=slw_s_[\w-]+;/);
    expect(cookie).toMatch(/HttpOnly/);
    expect(cookie).toMatch(/SameSite=Strict/);
    const session = cookie.split(';')[0];
    const me = (await (await post({ query: '{ me { email instanceOwner } }' }, { cookie: session })).json()) as { data: { me: { email: string; instanceOwner: boolean } } };
    expect(me.data.me).toEqual({ email: miaAccount.email, instanceOwner: false });

    const out = await post({ query: 'mutation { signOut }' }, { cookie: session });
    expect(out.headers.get('set-cookie')).toMatch(/slipway_session=;/);
    const after = (await (await post({ query: '{ me { email } }' }, { cookie: session })).json()) as { errors: { extensions: { code: string } }[] };
    expect(after.errors[0].extensions.code).toBe('UNAUTHENTICATED');
  });

  it('gives API tokens once, keeps only their hash, limits them to their scopes, and revokes them', async () => {
    const { createApiToken } = await mia.request<{ createApiToken: { token: string; apiToken: { id: string; scopes: string[] } } }>(
      'mutation { createApiToken(name: "ci read-only", scopes: [READ]) { token apiToken { id scopes expiresAt } } }',
    );
    expect(createApiToken.apiToken.scopes).toEqual(['READ']);
    const ci = client();
    ci.token = createApiToken.token;
    expect((await ci.request<{ projects: { id: string }[] }>('{ projects { id } }')).projects.map((p) => p.id)).toContain(projectId);

    const service = await ci.execute(`mutation { createService(input: { projectId: "${projectId}", name: "web", port: 80, source: { image: { ref: "nginx:1" } } }) { id } }`);
    expect(service.errors?.[0]).toMatchObject({ message: expect.stringMatching(/token's scopes \(read\) do not allow "manage-services"/), extensions: { code: 'FORBIDDEN' } });

    const listed = await mia.request<{ apiTokens: { id: string; name: string }[] }>('{ apiTokens { id name } }');
    expect(listed.apiTokens).toContainEqual({ id: createApiToken.apiToken.id, name: 'ci read-only' });
    const events = await store.readAll({ context: 'identity', aggregate: 'user' });
    const created = events.find((e) => e.type === 'ApiTokenCreated' && e.data.tokenId === createApiToken.apiToken.id)!;
    expect(created.data.tokenHash).toMatch(/^[0-9a-f]{64}$/);
    expect(JSON.stringify(events)).not.toContain(createApiToken.token);

    await mia.request(`mutation { revokeApiToken(id: "${createApiToken.apiToken.id}") }`);
    expect(codesOf(await ci.execute('{ projects { id } }'))).toEqual(['UNAUTHENTICATED']);
    const again = await mia.execute(`mutation { revokeApiToken(id: "${createApiToken.apiToken.id}") }`);
    expect(again.errors?.[0].message).toMatch(/no API token .* \(or it is already revoked\)/);
  });

  it('lets an invited person sign up once, with the invited address and role; passwords are stored hashed', async () => {
    const email = `grace-${unique()}@slipway.test`;
    const { inviteMember } = await owner.request<{ inviteMember: { code: string; joined: boolean } }>(
      `mutation { inviteMember(projectId: "${projectId}", email: "${email}", role: DEVELOPER) { code joined } }`,
    );
    expect(inviteMember.joined).toBe(false);
    const preview = await client().request<{ invitation: { email: string; role: string } }>(`{ invitation(code: "${inviteMember.code}") { email role projectName } }`);
    expect(preview.invitation).toMatchObject({ email, role: 'DEVELOPER' });

    const wrongAddress = await client().execute(`mutation { signUp(email: "eve-${unique()}@slipway.test", password: "grace-password-1", invitation: "${inviteMember.code}") { token } }`);
    expect(wrongAddress.errors?.[0].message).toBe(`This invitation is for ${email}; sign up with that address`);

    const grace = client();
    await grace.signUp(email, 'grace-password-1', inviteMember.code);
    const { me } = await grace.request<{ me: { id: string; memberships: { projectId: string; role: string }[] } }>('{ me { id memberships { projectId role } } }');
    expect(me.memberships).toEqual([expect.objectContaining({ projectId, role: 'DEVELOPER' })]);
    const reuse = await client().execute(`mutation { signUp(email: "${email}", password: "grace-password-1", invitation: "${inviteMember.code}") { token } }`);
    expect(reuse.errors?.[0].message).toBe('This invitation was already used; sign in instead');

    const signedUp = (await store.readAll({ context: 'identity', aggregate: 'user' })).find((e) => e.type === 'UserSignedUp' && e.data.userId === me.id)!;
    expect(signedUp.data.passwordHash).toMatch(/^scrypt\$32768\$8\$1\$/);
    expect(JSON.stringify(signedUp)).not.toContain('grace-password-1');

    // An admin manages members but cannot make owners; the project's only owner cannot be removed.
    const { inviteMember: adminInvite } = await owner.request<{ inviteMember: { code: string } }>(
      `mutation { inviteMember(projectId: "${projectId}", email: "admin-${unique()}@slipway.test", role: ADMIN) { code email } }`,
    );
    const admin = client();
    const adminEmail = (await client().request<{ invitation: { email: string } }>(`{ invitation(code: "${adminInvite.code}") { email } }`)).invitation.email;
    await admin.signUp(adminEmail, 'admin-password-1', adminInvite.code);
    const promote = await admin.execute(`mutation { setMemberRole(projectId: "${projectId}", userId: "${me.id}", role: OWNER) { role } }`);
    expect(promote.errors?.[0]).toMatchObject({ message: 'Only a project owner can grant, change or remove the owner role', extensions: { code: 'FORBIDDEN' } });
    expect((await owner.request<{ setMemberRole: { role: string } }>(`mutation { setMemberRole(projectId: "${projectId}", userId: "${me.id}", role: OWNER) { role } }`)).setMemberRole.role).toBe('OWNER');
    const lastOwner = await owner.execute(`mutation { removeMember(projectId: "${projectId}", userId: "${me.id}") }`);
    expect(lastOwner.errors?.[0]).toMatchObject({ message: expect.stringMatching(/is the project's only owner: make someone else owner before you remove them/), extensions: { code: 'LAST_OWNER' } });
    const { members } = await grace.request<{ members: { email: string; role: string }[] }>(`{ members(projectId: "${projectId}") { email role } }`);
    expect(members).toEqual(expect.arrayContaining([{ email, role: 'OWNER' }, { email: adminEmail, role: 'ADMIN' }]));
  });

  it('limits sign-in attempts per address and email, saying when to try again', async () => {
    const email = `guess-${unique()}@slipway.test`;
    const attempt = () => client().execute(`mutation { signIn(email: "${email}", password: "guess-password-1") { token } }`);
    const codes: (string | undefined)[] = [];
    for (let i = 0; i < 11; i++) codes.push(...codesOf(await attempt()));
    expect(codes.slice(0, 10)).toEqual(Array(10).fill('BAD_USER_INPUT'));
    const limited = await attempt();
    expect(limited.errors?.[0]).toMatchObject({ message: expect.stringMatching(/^Too many sign-in attempts: at most 10 a minute\. Try again in \d+ s$/), extensions: { code: 'RATE_LIMITED' } });
    // Another address from the same client is not held back by it.
    expect(codesOf(await client().execute(`mutation { signIn(email: "other-${unique()}@slipway.test", password: "guess-password-1") { token } }`))).toEqual(['BAD_USER_INPUT']);
  });

  it('closes a graphql-ws connection that brings no valid credentials, saying what to send', async () => {
    const anonymous = client();
    const closed = await new Promise<{ code: number; reason: string }>((resolve) =>
      anonymous.subscribe('subscription { deploymentUpdated(deploymentId: "d_x") { id } }', {}, () => undefined, (err) => resolve(err as { code: number; reason: string })),
    );
    expect(closed.code).toBe(4403);
    expect(closed.reason).toMatch(/^Sign in first: send connectionParams.authorization "Bearer <token>"/);
    await anonymous.close();
  });

  describe('security: announcements never create credentials', () => {
    /** What anyone who may publish on NATS could send: a document in the projections' shape, at a revision no store will reach. */
    const announce = async (collection: string, doc: Record<string, unknown>) => {
      nc.publish(viewSubject(collection, String(doc._id)), JSON.stringify(doc), { headers: revHeaders(1_000_000) });
      await nc.flush();
      await new Promise((r) => setTimeout(r, 500));
    };

    it('refuses a token whose credential was only announced, never stored, while real sessions work', async () => {
      const { me: ownerMe } = await owner.request<{ me: { id: string } }>('{ me { id } }');
      const token = `slw_s_${randomBytes(32).toString('base64url')}`;
      const hash = tokenHash(token);
      const now = Date.now();
      await announce('credentials', {
        _id: hash,
        tokenHash: hash,
        kind: 'session',
        id: `ses_forged_${unique()}`,
        userId: ownerMe.id,
        name: null,
        scopes: null,
        createdAt: new Date(now).toISOString(),
        expiresAt: new Date(now + 86_400_000).toISOString(),
        revokedAt: null,
      });
      const forged = client();
      forged.token = token;
      expect(codesOf(await forged.execute('{ me { id instanceOwner } }'))).toEqual(['UNAUTHENTICATED']);
      expect(codesOf(await forged.execute(`mutation { createProject(input: { name: "forged-${unique()}" }) { id } }`))).toEqual(['UNAUTHENTICATED']);
      expect((await owner.request<{ me: { id: string } }>('{ me { id } }')).me.id).toBe(ownerMe.id);
      const fresh = client();
      await fresh.signIn(miaAccount.email, miaAccount.password);
      expect((await fresh.request<{ me: { email: string } }>('{ me { email } }')).me.email).toBe(miaAccount.email);
    });

    it('makes no one instance owner or project owner by announcing their account or membership', async () => {
      const { me } = await mia.request<{ me: { id: string; email: string } }>('{ me { id email } }');
      const otherProject = (await owner.request<{ createProject: { id: string } }>(`mutation { createProject(input: { name: "other-${unique()}" }) { id } }`)).createProject.id;
      await announce('users', { _id: me.id, id: me.id, email: me.email, passwordHash: 'scrypt$forged', instanceOwner: true, createdAt: new Date().toISOString() });
      await announce('members', { _id: `${otherProject}:${me.id}`, projectId: otherProject, userId: me.id, email: me.email, role: 'owner', removed: false });
      const after = await mia.request<{ me: { instanceOwner: boolean; memberships: { projectId: string; role: string }[] } }>('{ me { instanceOwner memberships { projectId role } } }');
      expect(after.me).toEqual({ instanceOwner: false, memberships: [{ projectId, role: 'ADMIN' }] });
      expect(codesOf(await mia.execute(`{ members(projectId: "${otherProject}") { email } }`))).toEqual(['FORBIDDEN']);
    });
  });

  describe('security: sign-in throttling per address across emails', () => {
    it('limits one address trying many emails, saying when to try again', async () => {
      const codes: (string | undefined)[] = [];
      let limited: Awaited<ReturnType<GraphqlTestClient['execute']>> | undefined;
      // A different email each time: the per-email limit never applies. Earlier tests here used some of this address's 30.
      for (let i = 0; i < 31 && !limited; i++) {
        const body = await client().execute(`mutation { signIn(email: "spray-${i}-${unique()}@slipway.test", password: "guess-password-1") { token } }`);
        if (codesOf(body)[0] === 'RATE_LIMITED') limited = body;
        else codes.push(...codesOf(body));
      }
      expect(new Set(codes)).toEqual(new Set(['BAD_USER_INPUT']));
      expect(limited?.errors?.[0]).toMatchObject({
        message: expect.stringMatching(/^Too many sign-in attempts from this address: at most 30 a minute\. Try again in \d+ s$/),
        extensions: { code: 'RATE_LIMITED' },
      });
    });
  });
});
