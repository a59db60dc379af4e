import { randomUUID } from 'node:crypto';
import { jetstream, jetstreamManager } from '@nats-io/jetstream';
import { connect, type NatsConnection } from '@nats-io/transport-node';
import { commandSubject, eventSubject, LOG_STREAM, logSubject, viewSubject } from '@slipway/proto';
import { infraEnv } from '@slipway/testing';
import { busCredentials, type BusIdentity } from './nats-auth';

/**
 * security: the platform's NATS (infra/scripts/nats.sh, rules in nats-auth.sh) takes no anonymous
 * client, and each service's credential publishes and hears only what its role needs. Before,
 * any local process could send `change-member-role` as anyone, read every command, and announce a
 * made-up credential. Nothing here lands in the event store: every write tried is refused.
 */
describe('security: the bus authenticates every client and keeps each to its subjects', () => {
  const url = infraEnv().NATS_URL;
  const open: NatsConnection[] = [];
  const as = async (identity: BusIdentity) => {
    const nc = await connect({ servers: url, name: `security-test-${identity}`, ...busCredentials(identity) });
    open.push(nc);
    return nc;
  };
  /** A publish the rules refuse is not an error at the call; the server says so on the connection. */
  const refusals = (nc: NatsConnection) => {
    const seen: string[] = [];
    void (async () => {
      for await (const s of nc.status()) if (s.type === 'error') seen.push(s.error.message);
    })();
    return seen;
  };
  const settle = async (nc: NatsConnection) => {
    await nc.flush();
    await new Promise((r) => setTimeout(r, 300));
  };

  afterAll(async () => {
    await Promise.all(open.map((nc) => nc.close().catch(() => undefined)));
  });

  it('refuses a client without credentials, or with a wrong password', async () => {
    await expect(connect({ servers: url, timeout: 5_000, maxReconnectAttempts: 0 })).rejects.toThrow(/Authorization Violation/);
    await expect(connect({ servers: url, user: 'gateway', pass: 'guessed', timeout: 5_000, maxReconnectAttempts: 0 })).rejects.toThrow(/Authorization Violation/);
  });

  it('lets no service but the gateway send a command', async () => {
    const build = await as('build');
    const metadata = { actor: { kind: 'user', id: 'u_made_up' } };
    for (const name of ['change-member-role', 'request-deployment']) {
      const context = name === 'change-member-role' ? 'project' : 'deploy';
      await expect(
        build.request(commandSubject(context, name), JSON.stringify({ data: { projectId: 'p_x', userId: 'u_x', role: 'admin' }, metadata }), { timeout: 5_000 }),
      ).rejects.toThrow(/Permissions Violation for Publish to "platform\.(project|deploy)\.commands/);
    }
  });

  it('lets no service but the gateway announce a view, credentials included', async () => {
    const project = await as('project');
    const seen = refusals(project);
    project.publish(viewSubject('credentials', 'made-up-hash'), JSON.stringify({ _id: 'made-up-hash', userId: 'u_made_up' }));
    await settle(project);
    expect(seen).toEqual([expect.stringMatching(/Permissions Violation for Publish to "platform\.gateway\.views\.credentials\.made-up-hash"/)]);
  });

  it('lets each context append only to its own events', async () => {
    const build = jetstream(await as('build'));
    const deploy = jetstream(await as('deploy'));
    await expect(build.publish(eventSubject('project', 'member', 'm_made_up'), '{}')).rejects.toThrow(/Permissions Violation/);
    await expect(deploy.publish(eventSubject('identity', 'user', 'u_made_up'), '{}')).rejects.toThrow(/Permissions Violation/);
    await expect(deploy.publish(eventSubject('build', 'build', 'b_made_up'), '{}')).rejects.toThrow(/Permissions Violation/);
    // The same credential does work where its role allows: a log line, into the retention-limited LOGS stream.
    const ack = await build.publish(logSubject(`d_security_${randomUUID().slice(0, 8)}`), JSON.stringify({ timestamp: new Date().toISOString(), stream: 'system', message: 'x' }));
    expect(ack.stream).toBe(LOG_STREAM.name);
  });

  it('lets the backup part read every stream an archive holds, and append only its own events', async () => {
    const nc = await as('backup');
    const js = jetstream(nc);
    // An ordered read of another context's history, as the archive's stream dump does.
    const first = await (await js.consumers.get('PROJECT_EVENTS')).next({ expires: 5_000 });
    expect(first?.subject).toMatch(/^platform\.project\.events\./);
    const durables: string[] = [];
    for await (const c of (await jetstreamManager(nc)).consumers.list('DEPLOY_EVENTS')) durables.push(c.name);
    expect(durables.length).toBeGreaterThan(0);
    await expect(js.publish(eventSubject('deploy', 'restore', 'r_made_up'), '{}')).rejects.toThrow(/Permissions Violation/);
    await expect(nc.request(commandSubject('deploy', 'request-deployment'), '{}', { timeout: 5_000 })).rejects.toThrow(/Permissions Violation/);
  });

  it("lets no service hear another's commands or the gateway's replies", async () => {
    const routing = await as('routing');
    const seen = refusals(routing);
    routing.subscribe('platform.project.commands.*');
    routing.subscribe('_INBOX_gateway.>');
    routing.subscribe('_INBOX.>');
    await settle(routing);
    expect(seen.sort()).toEqual([
      expect.stringMatching(/Permissions Violation for Subscription to "_INBOX.>"/),
      expect.stringMatching(/Permissions Violation for Subscription to "_INBOX_gateway.>"/),
      expect.stringMatching(/Permissions Violation for Subscription to "platform.project.commands.\*"/),
    ]);
  });

  it('lets only the operator create, change or delete a stream', async () => {
    const gateway = await jetstreamManager(await as('gateway'));
    await expect(gateway.streams.delete('PROJECT_EVENTS')).rejects.toThrow(/Permissions Violation/);
    await expect(gateway.streams.purge('IDENTITY_EVENTS')).rejects.toThrow(/Permissions Violation/);
    const build = await jetstreamManager(await as('build'));
    await expect(build.streams.add({ name: `SECURITY_${randomUUID().slice(0, 8)}`, subjects: ['security.>'] })).rejects.toThrow(/Permissions Violation/);
    await expect(build.streams.update('BUILD_EVENTS', { subjects: ['platform.build.events.>', 'platform.project.commands.>'] })).rejects.toThrow(
      /Permissions Violation/,
    );
    // Reading is allowed: services consume each other's events.
    expect((await build.streams.info('PROJECT_EVENTS')).config.name).toBe('PROJECT_EVENTS');
  });
});
