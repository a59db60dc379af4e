import { randomUUID } from 'node:crypto';
import { connect, type NatsConnection } from '@nats-io/transport-node';
import { JetStreamEventStore, type StoredEvent } from '@slipway/event-store';
import {
  GraphqlTestClient,
  runOwnerSessionCommand,
  startPlatformProcess,
  startScratchPlatform,
  testOwner,
  waitUntil,
  type PlatformProcess,
  type ScratchPlatform,
} from '@slipway/testing';
import { busCredentials } from '@slipway/messaging';

/**
 * The host's break-glass (owner-session.cli.ts) on a platform of its own, since the shared one must
 * keep its owner: first with nobody signed up, then owned by somebody who is not the tests' account.
 */
describe('owner session issued from the host', () => {
  let platform: ScratchPlatform;
  const processes: PlatformProcess[] = [];
  const clients: GraphqlTestClient[] = [];
  let nc: NatsConnection;
  let store: JetStreamEventStore;
  let port: number;
  const client = () => {
    const c = new GraphqlTestClient(port);
    clients.push(c);
    return c;
  };
  const ada = { email: `ada-${randomUUID().slice(0, 8)}@example.test`, password: 'ada-own-password-1' };

  beforeAll(async () => {
    platform = await startScratchPlatform();
  }, 60_000);

  afterAll(async () => {
    await Promise.all(clients.map((c) => c.close()));
    await store?.close();
    await nc?.close();
    await Promise.all(processes.map((p) => p.stop()));
    await platform?.stop();
  });

  it('says that an instance nobody has signed up to has no owner, and what to do', async () => {
    const result = await runOwnerSessionCommand(platform);
    expect(result).toMatchObject({ code: 1, stdout: '' });
    expect(result.stderr.trim()).toBe('This Slipway has no owner yet: nobody has signed up. Open the console and sign up: the first account becomes the instance owner.');
  });

  describe('when somebody else owns the instance', () => {
    let adaId: string;
    let adaSession: GraphqlTestClient;
    let hostToken: string;
    const userEvents = async () => (await store.read({ context: 'identity', aggregate: 'user', id: adaId })).events;

    beforeAll(async () => {
      processes.push(await startPlatformProcess('project', { env: platform.env }));
      const gateway = await startPlatformProcess('gateway', { env: platform.env, waitForReady: false });
      processes.push(gateway);
      port = gateway.port;
      // Ready itself (its NATS and read store) is enough: the services it reports on are not all running.
      await waitUntil('the gateway to be ready', async () => ((await gateway.health()).body.gateway as { status: string }).status === 'ready', 30_000);
      // Ada signs up first through the console's API, so she owns this instance.
      adaSession = client();
      await adaSession.signUp(ada.email, ada.password);
      adaId = (await adaSession.request<{ me: { id: string; instanceOwner: boolean } }>('{ me { id instanceOwner } }')).me.id;
      nc = await connect({ servers: platform.NATS_URL, ...busCredentials('operator') });
      store = await JetStreamEventStore.create(nc);
    }, 120_000);

    it('prints only a session token, which acts as the instance owner', async () => {
      const before = await userEvents();
      const result = await runOwnerSessionCommand(platform);
      expect(result.code).toBe(0);
      expect(result.stdout).toMatch(/^slw_s_[\w-]{43}\n$/);
      expect(result.stderr).toContain(`Session for ${ada.email} (${adaId}), the instance owner`);
      hostToken = result.stdout.trim();

      const host = client();
      host.token = hostToken;
      expect((await host.request<{ me: unknown }>('{ me { id email instanceOwner } }')).me).toEqual({ id: adaId, email: ada.email, instanceOwner: true });
      // Only the instance owner creates projects.
      const { createProject } = await host.request<{ createProject: { name: string } }>('mutation { createProject(input: { name: "break-glass" }) { name } }');
      expect(createProject.name).toBe('break-glass');

      // One event on Ada's stream: a session of one hour, by the host, its token stored only as a hash.
      const added = (await userEvents()).slice(before.length);
      expect(added.map((e) => [e.type, e.actor])).toEqual([['SessionStarted', { kind: 'service', id: 'host-admin' }]]);
      const { startedAt, expiresAt } = added[0].data as { startedAt: string; expiresAt: string };
      expect(Date.parse(expiresAt) - Date.parse(startedAt)).toBe(3_600_000);
      expect(JSON.stringify(added)).not.toContain(hostToken);
    });

    it("leaves the owner's password and own sessions as they were, also once the host's session ends", async () => {
      expect((await adaSession.request<{ me: { email: string } }>('{ me { email } }')).me.email).toBe(ada.email);
      const again = client();
      await again.signIn(ada.email, ada.password);
      expect((await again.request<{ me: { instanceOwner: boolean } }>('{ me { instanceOwner } }')).me.instanceOwner).toBe(true);
      expect((await userEvents()).map((e) => e.type).filter((t) => t !== 'SessionStarted')).toEqual(['UserSignedUp']);

      const host = client();
      host.token = hostToken;
      await host.request('mutation { signOut }');
      expect((await host.execute('{ me { email } }')).errors?.[0].extensions?.code).toBe('UNAUTHENTICATED');
      expect((await adaSession.request<{ me: { email: string } }>('{ me { email } }')).me.email).toBe(ada.email);
    });

    it('shows in the audit log that the session was issued from the host', async () => {
      type Entry = { type: string; actor: { kind: string; id: string }; aggregateId: string };
      const hostSessions = async () =>
        (await adaSession.request<{ auditLog: { entries: Entry[] } }>('{ auditLog(first: 100) { entries { type actor { kind id } aggregateId } } }')).auditLog.entries.filter(
          (e) => e.actor.kind === 'service' && e.actor.id === 'host-admin',
        );
      await waitUntil('the audit log to show the host-issued session', async () => (await hostSessions()).length > 0, 10_000);
      expect(await hostSessions()).toEqual([{ type: 'SessionStarted', actor: { kind: 'service', id: 'host-admin' }, aggregateId: adaId }]);
    });

    it("lets the tests act as the owner through it, without creating an account of the tests' own", async () => {
      const tests = client();
      await tests.signInAsOwner(platform);
      expect((await tests.request<{ me: unknown }>('{ me { email instanceOwner } }')).me).toEqual({ email: ada.email, instanceOwner: true });
      const events: StoredEvent[] = await store.readAll({ context: 'identity', aggregate: 'user' });
      expect(events.filter((e) => e.type === 'UserSignedUp').map((e) => e.data.email)).toEqual([ada.email]);
      expect(events.some((e) => e.data.email === testOwner.email)).toBe(false);
    });
  });
});
