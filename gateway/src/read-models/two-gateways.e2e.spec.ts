import { randomUUID } from 'node:crypto';
import { connect } from '@nats-io/transport-node';
import { GraphqlTestClient, infraEnv, startPlatformProcesses, waitUntil, type PlatformProcess } from '@slipway/testing';
import { JetStreamWriterLeases } from './writer-leases.adapter';
import { busCredentials } from '@slipway/messaging';

/**
 * Two gateway instances behind one platform: a change made through one reaches subscribers of the
 * other (subscriptions are fed from NATS, not from a gateway's memory), and a session ended on one
 * is refused by the other at once.
 */
describe('two gateway instances', () => {
  const processes: PlatformProcess[] = [];
  let gateways: PlatformProcess[];
  let a: GraphqlTestClient;
  let b: GraphqlTestClient;

  beforeAll(async () => {
    processes.push(...(await startPlatformProcesses(['project', 'deploy', 'quota', 'build'])));
    gateways = await startPlatformProcesses(['gateway', 'gateway'], { waitForReady: false });
    processes.push(...gateways);
    for (const g of gateways) await waitUntil('a gateway to answer', async () => (await g.health()).status > 0, 30_000);
    a = new GraphqlTestClient(gateways[0].port);
    b = new GraphqlTestClient(gateways[1].port);
  }, 120_000);

  afterAll(async () => {
    await a?.close();
    await b?.close();
    await Promise.all(processes.map((p) => p.stop()));
  });

  it('delivers a deployment changed through one gateway to a subscriber of the other', async () => {
    b.token = await a.signInAsOwner();
    const projectId = (await a.request<{ createProject: { id: string } }>(`mutation { createProject(input: { name: "twin-${randomUUID().slice(0, 6)}" }) { id } }`)).createProject.id;
    const serviceId = (
      await a.request<{ createService: { id: string } }>('mutation($i: CreateServiceInput!) { createService(input: $i) { id } }', {
        i: { projectId, name: 'web', port: 80, source: { image: { ref: `${infraEnv().REGISTRY}/slipway-test/none:missing` } } },
      })
    ).createService.id;
    const { deployService } = await a.request<{ deployService: { id: string } }>(`mutation { deployService(serviceId: "${serviceId}") { id } }`);

    const seen: string[] = [];
    const stop = b.subscribe<{ deploymentUpdated: { status: string } }>(
      'subscription($d: ID!) { deploymentUpdated(deploymentId: $d) { status error } }',
      { d: deployService.id },
      (v) => seen.push(v.deploymentUpdated.status),
    );
    // The image is not there: the deployment fails in the build, on services that only gateway A asked.
    await waitUntil('gateway B to tell its subscriber the deployment failed', () => seen.includes('FAILED'), 60_000, 50);
    stop();
    expect(seen[seen.length - 1]).toBe('FAILED');
  }, 90_000);

  it('tells a subscriber of one gateway about a change made through the other', async () => {
    b.token = await a.signInAsOwner();
    const ticks: string[] = [];
    const stop = b.subscribe<{ projectsChanged: { at: string } }>('subscription { projectsChanged { at } }', {}, (v) => ticks.push(v.projectsChanged.at));
    await new Promise((r) => setTimeout(r, 300)); // the subscription is in place
    const before = ticks.length;
    await a.request(`mutation { createProject(input: { name: "twin-${randomUUID().slice(0, 6)}" }) { id } }`);
    await waitUntil('gateway B to tell its subscriber', () => ticks.length > before, 3_000, 10);
    stop();
  });

  it('answers the projects page with a service created through the other gateway a moment ago', async () => {
    b.token = await a.signInAsOwner();
    const query = '{ projects { id services { name } } }';
    const projectId = (await a.request<{ createProject: { id: string } }>(`mutation { createProject(input: { name: "twin-${randomUUID().slice(0, 6)}" }) { id } }`)).createProject.id;
    type Page = { projects: { id: string; services: { name: string }[] }[] };
    const servicesOn = async (c: GraphqlTestClient) => (await c.request<Page>(query)).projects.find((p) => p.id === projectId)?.services.map((s) => s.name);
    // Asked twice, so the second answer may come from B's response cache.
    expect(await servicesOn(b)).toEqual([]);
    expect(await servicesOn(b)).toEqual([]);
    await a.request('mutation($i: CreateServiceInput!) { createService(input: $i) { id } }', {
      i: { projectId, name: 'api', port: 80, source: { image: { ref: `${infraEnv().REGISTRY}/slipway-test/none:missing` } } },
    });
    await waitUntil('gateway B to answer with the new service', async () => (await servicesOn(b))?.includes('api') ?? false, 2_000, 10);
  });

  it('closes on one gateway the live subscriptions of a session signed out on the other, and only those', async () => {
    const onA = new GraphqlTestClient(a.port);
    const onB = new GraphqlTestClient(b.port);
    const otherSession = new GraphqlTestClient(b.port);
    try {
      onB.token = await onA.signInAsOwner();
      await otherSession.signInAsOwner();
      const ticks = { ended: 0, other: 0 };
      let closed: { code?: number; reason?: string } | undefined;
      const query = 'subscription { projectsChanged { at } }';
      onB.subscribe(query, {}, () => ticks.ended++, (err) => (closed = err as typeof closed));
      otherSession.subscribe(query, {}, () => ticks.other++);
      await new Promise((r) => setTimeout(r, 300)); // both subscriptions are in place
      await onA.request(`mutation { createProject(input: { name: "twin-${randomUUID().slice(0, 6)}" }) { id } }`);
      await waitUntil('both subscriptions on B to be live', () => ticks.ended > 0 && ticks.other > 0, 3_000, 10);

      const signedOut = Date.now();
      await onA.request('mutation { signOut }');
      await waitUntil("gateway B to close the signed-out session's connection", () => closed !== undefined, 5_000, 10);
      console.log(`live subscription on B closed ${Date.now() - signedOut} ms after signOut returned on A`);
      expect(closed).toMatchObject({ code: 4401, reason: 'Your session ended (signed out, revoked or expired): sign in again' });

      const before = ticks.other;
      await otherSession.request(`mutation { createProject(input: { name: "twin-${randomUUID().slice(0, 6)}" }) { id } }`);
      await waitUntil('the other session, still signed in, to hear the change', () => ticks.other > before, 3_000, 10);
    } finally {
      await Promise.all([onA.close(), onB.close(), otherSession.close()].map((p) => p.catch(() => undefined)));
    }
  });

  it('refuses on one gateway a session signed out on the other', async () => {
    const token = await a.signInAsOwner();
    b.token = token;
    expect((await b.request<{ me: { email: string } }>('{ me { email } }')).me.email).toBeTruthy();
    await a.request('mutation { signOut }');
    const after = await b.execute('{ me { email } }');
    expect(after.errors?.[0].extensions?.code).toBe('UNAUTHENTICATED');
  });

  // Last: it kills a gateway.
  it('keeps projecting deployments when the gateway writing them is killed', async () => {
    const nc = await connect({ servers: infraEnv().NATS_URL, ...busCredentials('operator') });
    const holder = await JetStreamWriterLeases.open(nc)
      .then((leases) => leases.holderOf('deployments-view'))
      .finally(() => nc.close());
    const writer = gateways.find((g) => holder?.split('/')[1] === String(g.pid));
    // Another gateway on this machine (someone's `npm start`) may hold it: then this one is killed all the same.
    const killed = writer ?? gateways[0];
    const survivor = new GraphqlTestClient(gateways.find((g) => g !== killed)!.port);
    try {
      survivor.token = await a.signInAsOwner();
      process.kill(killed.pid, 'SIGKILL');
      await waitUntil('the gateway to be gone', () => !killed.alive(), 5_000, 20);
      const died = Date.now();
      const projectId = (await survivor.request<{ createProject: { id: string } }>(`mutation { createProject(input: { name: "twin-${randomUUID().slice(0, 6)}" }) { id } }`)).createProject.id;
      const serviceId = (
        await survivor.request<{ createService: { id: string } }>('mutation($i: CreateServiceInput!) { createService(input: $i) { id } }', {
          i: { projectId, name: 'web', port: 80, source: { image: { ref: `${infraEnv().REGISTRY}/slipway-test/none:missing` } } },
        })
      ).createService.id;
      const { deployService } = await survivor.request<{ deployService: { id: string } }>(`mutation { deployService(serviceId: "${serviceId}") { id } }`);
      const seen: string[] = [];
      const stop = survivor.subscribe<{ deploymentUpdated: { status: string } }>('subscription($d: ID!) { deploymentUpdated(deploymentId: $d) { status } }', { d: deployService.id }, (v) =>
        seen.push(v.deploymentUpdated.status),
      );
      await waitUntil('the surviving gateway to project the deployment to its end', () => seen.includes('FAILED'), 60_000, 50);
      stop();
      console.log(`killed ${writer ? 'the gateway writing deployments' : 'a gateway (another process held the lease)'}; deployment failed as expected ${Date.now() - died} ms later`);
    } finally {
      await survivor.close();
    }
  }, 90_000);
});
