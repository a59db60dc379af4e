import { randomUUID } from 'node:crypto';
import { GraphqlTestClient, infraEnv, startPlatformProcess, startPlatformProcesses, waitUntil, type PlatformProcess } from '@slipway/testing';

/**
 * Pending invitations, listed and withdrawn, and refusals in plain words, against the real gateway
 * and project service: what the console's Members page and forms rely on.
 */
describe('invitations and plain-words refusals', () => {
  const processes: PlatformProcess[] = [];
  let owner: GraphqlTestClient;
  let port: number;
  let projectId: string;
  const unique = () => randomUUID().slice(0, 8);

  const invite = async (email: string) =>
    (await owner.request<{ inviteMember: { id: string; code: string } }>('mutation($p: ID!, $e: String!) { inviteMember(projectId: $p, email: $e, role: DEVELOPER) { id code } }', { p: projectId, e: email }))
      .inviteMember;
  const pending = async () =>
    (await owner.request<{ invitations: { id: string; email: string; role: string; invitedAt: string | null; expiresAt: string }[] }>(
      'query($p: ID!) { invitations(projectId: $p) { id email role invitedAt expiresAt } }',
      { p: projectId },
    )).invitations;
  const revoke = (invitationId: string) =>
    owner.execute<{ revokeInvitation: boolean }>('mutation($p: ID!, $i: ID!) { revokeInvitation(projectId: $p, invitationId: $i) }', { p: projectId, i: invitationId });

  beforeAll(async () => {
    processes.push(...(await startPlatformProcesses(['project'])));
    const gateway = await startPlatformProcess('gateway', { waitForReady: false });
    processes.push(gateway);
    port = gateway.port;
    await waitUntil('the gateway to answer', async () => (await gateway.health()).status > 0, 30_000);
    owner = new GraphqlTestClient(port);
    await owner.signInAsOwner();
    projectId = (await owner.request<{ createProject: { id: string } }>('mutation($n: String!) { createProject(input: { name: $n }) { id } }', { n: `inv-${unique()}` })).createProject.id;
  }, 120_000);

  afterAll(async () => {
    await owner?.close();
    await Promise.all(processes.map((p) => p.stop()));
  });

  it('lists an invitation until it is withdrawn, never with its code; a withdrawn link signs nobody up', async () => {
    const email = `pending-${unique()}@slipway.test`;
    const { id, code } = await invite(email);
    const listed = (await pending()).find((i) => i.id === id);
    expect(listed).toMatchObject({ email, role: 'DEVELOPER', invitedAt: expect.any(String), expiresAt: expect.any(String) });
    expect(JSON.stringify(await pending())).not.toContain(code);

    expect((await revoke(id)).data?.revokeInvitation).toBe(true);
    expect((await pending()).map((i) => i.id)).not.toContain(id);
    // Again: nothing more to do, and no error.
    expect((await revoke(id)).data?.revokeInvitation).toBe(true);

    const stranger = new GraphqlTestClient(port);
    try {
      const preview = await stranger.execute('query($c: String!) { invitation(code: $c) { email } }', { c: code });
      expect(preview.errors?.[0]).toMatchObject({ message: 'This invitation was withdrawn; ask for a new one', extensions: { field: 'invitation' } });
      const signUp = await stranger.execute('mutation($e: String!, $c: String) { signUp(email: $e, password: "long-enough-password", invitation: $c) { token } }', { e: email, c: code });
      expect(signUp.errors?.[0].message).toBe('This invitation was withdrawn; ask for a new one');
    } finally {
      await stranger.close();
    }
  });

  it('refuses to withdraw an invitation someone has used, or one of another project', async () => {
    const email = `joined-${unique()}@slipway.test`;
    const { id, code } = await invite(email);
    const member = new GraphqlTestClient(port);
    try {
      await member.signUp(email, 'member-password-1', code);
    } finally {
      await member.close();
    }
    await waitUntil('the invitation to be used', async () => !(await pending()).some((i) => i.id === id), 10_000);
    expect((await revoke(id)).errors?.[0]).toMatchObject({ message: `${email} has already joined with this invitation: remove them from the members instead`, extensions: { field: 'invitationId' } });
    const elsewhere = (await owner.request<{ createProject: { id: string } }>('mutation($n: String!) { createProject(input: { name: $n }) { id } }', { n: `inv-${unique()}` })).createProject.id;
    const pendingHere = await invite(`other-${unique()}@slipway.test`);
    const other = await owner.execute('mutation($p: ID!, $i: ID!) { revokeInvitation(projectId: $p, invitationId: $i) }', { p: elsewhere, i: pendingHere.id });
    expect(other.errors?.[0]).toMatchObject({ message: 'This project has no such invitation', extensions: { field: 'invitationId' } });
    expect((await pending()).map((i) => i.id)).toContain(pendingHere.id);
  });

  it('words refusals for people, and still names the field for forms', async () => {
    const project = await owner.execute('mutation { createProject(input: { name: "Not A Name" }) { id } }');
    expect(project.errors?.[0]).toMatchObject({
      message: 'Name must be lower-case letters, digits and "-", starting and ending with a letter or digit',
      extensions: { field: 'name' },
    });
    const key = await owner.execute('mutation($p: ID!) { setEnvVar(input: { projectId: $p, key: "1NOPE", value: "x" }) { __typename } }', { p: projectId });
    expect(key.errors?.[0]).toMatchObject({ message: 'Key must be letters, digits and "_", not starting with a digit', extensions: { field: 'input.key' } });

    const serviceId = (
      await owner.request<{ createService: { id: string } }>('mutation($i: CreateServiceInput!) { createService(input: $i) { id } }', {
        i: { projectId, name: 'web', port: 80, source: { image: { ref: `${infraEnv().REGISTRY}/slipway-test/none:missing` } } },
      })
    ).createService.id;
    const port0 = await owner.execute('mutation($s: ID!) { updateServiceSettings(serviceId: $s, input: { port: 0 }) { id } }', { s: serviceId });
    expect(port0.errors?.[0]).toMatchObject({ message: 'Port must be 1 to 65535', extensions: { field: 'input.port' } });
    for (const answer of [project, key, port0]) expect(JSON.stringify(answer.errors)).not.toMatch(/Command "|field "|data\./);
  });
});
