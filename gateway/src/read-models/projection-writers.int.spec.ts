import { randomUUID } from 'node:crypto';
import { connect, type NatsConnection } from '@nats-io/transport-node';
import { JetStreamEventStore, type StoredEvent } from '@slipway/event-store';
import { busCredentials, PlatformConnection } from '@slipway/messaging';
import type { Context } from '@slipway/proto';
import { infraEnv, startScratchNats, waitUntil, type ScratchNats } from '@slipway/testing';
import { ReadStore } from '../read-store';
import type { Projection } from './projection';
import { ProjectionRunner } from './projection-runner';
import { JetStreamWriterLeases } from './writer-leases.adapter';

/**
 * Two gateways (each its own NATS connection, event store, leases and FerretDB client) run the
 * same projections against the real servers: a private nats-server (these events have made-up
 * ids) and the platform's FerretDB. A document is fed by two consumers, deploy and build events,
 * as a deployment's is; every event must end up in it once, in its stream's order, while the
 * writer stops, rebuilds or dies.
 */
describe('projection writers across gateways', () => {
  const TTL_MS = 2_000;
  const tag = randomUUID().slice(0, 8);
  type Counted = { applied: string[] };
  type Counter = Projection<Counted> & { document: string };
  /** Records every event of one deployment (deploy and build events alike) in one document. */
  const counter = (name: string, documentId: string): Counter => ({
    document: documentId,
    name: `test-${name}-${tag}`,
    collection: `test_${name}_${tag}`,
    sources: [{ context: 'deploy', aggregate: 'deployment' }, { context: 'build', aggregate: 'build' }],
    types: ['DeploymentBlocked', 'BuildStarted'],
    documentId: (e: StoredEvent) => (e.aggregateId === documentId ? documentId : undefined),
    evolve: (doc, e) => ({ applied: [...(doc?.applied ?? []), e.id] }),
  });
  const live = counter('writers', `d_live_${tag}`);
  const rebuilt = counter('rebuilt', `d_rebuilt_${tag}`);

  let nats: ScratchNats;
  let services: NatsConnection;
  let store: JetStreamEventStore;
  type Gateway = { platform: PlatformConnection; readStore: ReadStore; writers: JetStreamWriterLeases; live: ProjectionRunner<Counted>; rebuilt: ProjectionRunner<Counted> };
  const gateways: Gateway[] = [];

  beforeAll(async () => {
    nats = await startScratchNats();
    services = await connect({ servers: nats.url, ...busCredentials('operator') });
    store = await JetStreamEventStore.create(services);
    for (let i = 0; i < 2; i++) {
      const gateway = { platform: new PlatformConnection('gateway', nats.url), readStore: new ReadStore(infraEnv().MONGO_URL) } as Gateway;
      gateways.push(gateway); // closed in afterAll even if what follows fails
      await gateway.platform.ready;
      gateway.writers = await JetStreamWriterLeases.open(gateway.platform.connection, { ttlMs: TTL_MS });
      gateway.live = new ProjectionRunner(live, gateway.readStore, { platform: gateway.platform });
      gateway.rebuilt = new ProjectionRunner(rebuilt, gateway.readStore, { platform: gateway.platform });
    }
  });
  afterAll(async () => {
    for (const g of gateways) await Promise.all([g.live?.stop(), g.rebuilt?.stop()]);
    const db = await gateways[0]?.readStore.db();
    for (const p of [live, rebuilt]) await db?.collection(p.collection).drop().catch(() => undefined);
    for (const g of gateways) await Promise.all([g.platform.close(), g.readStore.close()]);
    await store?.close();
    await services?.close();
    await nats?.stop();
  });

  /** Where each appended event sits: its stream and its version there. */
  const sent = new Map<string, Map<string, { context: Context; version: number }>>();
  const append = async (context: Context, documentId: string) => {
    const e = {
      id: randomUUID(),
      type: context === 'deploy' ? 'DeploymentBlocked' : 'BuildStarted',
      version: 1,
      aggregateId: documentId,
      occurredAt: new Date().toISOString(),
      correlationId: documentId,
      causationId: documentId,
      actor: { kind: 'system' as const, id: 'test' },
      data: context === 'deploy' ? { deploymentId: documentId, blockedBy: 'd_other', reason: 'test' } : { buildId: documentId, commitSha: 'abcdef0', strategy: 'image' },
    };
    const stream = { context, aggregate: context === 'deploy' ? 'deployment' : 'build', id: documentId };
    const { version } = await store.append(stream, [e], 'any');
    if (!sent.has(documentId)) sent.set(documentId, new Map());
    sent.get(documentId)!.set(e.id, { context, version });
  };
  /** Deploy and build events, in bursts of ten a stream at once (as a backlog or a busy pipeline delivers them). */
  const appendBursts = (documentId: string, perStream: number) =>
    Promise.all(
      (['deploy', 'build'] as const).map(async (context) => {
        for (let i = 0; i < perStream; i += 10) {
          await Promise.all(Array.from({ length: 10 }, () => append(context, documentId)));
          await new Promise((r) => setTimeout(r, 20));
        }
      }),
    );

  type Stored = { _id: string; applied: string[]; _rev: number };
  const documentOf = async (p: Counter): Promise<Stored> =>
    (await (await gateways[0].readStore.db()).collection<Stored>(p.collection).findOne({ _id: p.document })) ?? { _id: p.document, applied: [], _rev: 0 };

  /** Every event sent so far is in the document, once, and each stream's events in their order. */
  const expectEveryUpdate = async (p: Counter, timeoutMs: number) => {
    const events = sent.get(p.document)!;
    await waitUntil('every event to be applied', async () => (await documentOf(p)).applied.length >= events.size, timeoutMs, 50).catch(() => undefined);
    await new Promise((r) => setTimeout(r, 300)); // nothing more arrives late
    const doc = await documentOf(p);
    const lost = [...events.keys()].filter((id) => !doc.applied.includes(id));
    console.log(`${p.name}: sent ${events.size} events, the document holds ${doc.applied.length} (rev ${doc._rev}), lost ${lost.length}`);
    expect(lost).toEqual([]);
    expect(new Set(doc.applied).size).toBe(doc.applied.length);
    for (const context of ['deploy', 'build'] as const) {
      const versions = doc.applied.map((id) => events.get(id)).filter((s) => s?.context === context).map((s) => s!.version);
      expect(versions).toEqual([...versions].sort((x, y) => x - y));
    }
  };

  const writing = (runner: 'live' | 'rebuilt') => gateways.filter((g) => g[runner].writing);

  it('loses no update when two gateways are fed interleaved deploy and build events of one document', async () => {
    await Promise.all(gateways.map((g) => g.live.start(g.platform.store, g.writers)));
    expect(writing('live')).toHaveLength(1);
    expect(await gateways[0].writers.holderOf(live.name)).toBe(writing('live')[0].writers.holder);
    await new Promise((r) => setTimeout(r, 200)); // whoever subscribed is pulling
    await appendBursts(live.document, 50);
    await expectEveryUpdate(live, 20_000);
  }, 60_000);

  it('hands the projection to the other gateway when its writer stops, at once', async () => {
    const [stopping] = writing('live');
    const other = gateways.find((g) => g !== stopping)!;
    const stopped = Date.now();
    await stopping.live.stop();
    await waitUntil('the other gateway to write', () => other.live.writing, TTL_MS, 10);
    console.log(`the other gateway wrote ${Date.now() - stopped} ms after the writer stopped (lease time to live ${TTL_MS} ms)`);
    await appendBursts(live.document, 20);
    await expectEveryUpdate(live, 20_000);
    await stopping.live.start(stopping.platform.store, stopping.writers); // back, as the one waiting
    expect(writing('live')).toEqual([other]);
  }, 60_000);

  it('rebuilds on the writer when asked through the other gateway, losing no event that arrives meanwhile', async () => {
    const id = rebuilt.document;
    await Promise.all(gateways.map((g) => g.rebuilt.start(g.platform.store, g.writers)));
    const asking = gateways.find((g) => !g.rebuilt.writing)!;
    // One by one: a rebuild orders events by occurredAt, which bursts of concurrent appends scramble.
    const oneByOne = async (n: number) => {
      for (let i = 0; i < n; i++) await Promise.all([append('deploy', id), append('build', id)]).then(() => new Promise((r) => setTimeout(r, 5)));
    };
    await oneByOne(10);
    await expectEveryUpdate(rebuilt, 10_000);
    const [result] = await Promise.all([asking.rebuilt.rebuild(), oneByOne(20)]);
    expect(result).toEqual({ events: expect.any(Number), documents: 1 });
    await expectEveryUpdate(rebuilt, 10_000);
  }, 60_000);

  it('hands on from where the last writer was, even from a writer that acknowledged nothing', async () => {
    // Two handovers with no event in between: the middle writer acknowledged nothing.
    for (let round = 0; round < 2; round++) {
      const [writer] = writing('live');
      const next = gateways.find((g) => g !== writer)!;
      const applied = next.live.progress.applied;
      await writer.live.stop();
      await waitUntil('the other gateway to write', () => next.live.writing, TTL_MS, 10);
      await writer.live.start(writer.platform.store, writer.writers); // back, as the one waiting
      await new Promise((r) => setTimeout(r, 1_000)); // what a replay would hand it arrives meanwhile
      // Replayed events are skipped by the position guard, so only the count shows them.
      expect(next.live.progress.applied - applied).toBe(0);
    }
    await appendBursts(live.document, 10);
    await expectEveryUpdate(live, 10_000);
  }, 60_000);

  it('takes over from a writer that died holding events it had not acknowledged, once its lease expires', async () => {
    const id = live.document;
    const [dying] = writing('live');
    const survivor = gateways.find((g) => g !== dying)!;
    const before = (await documentOf(live)).applied.length;
    const burst = appendBursts(id, 30);
    // Dies a few events into the burst: the rest is taken (pulled) and never acknowledged.
    await waitUntil('the writer to be busy', async () => (await documentOf(live)).applied.length >= before + 5, 10_000, 5);
    await dying.platform.connection.close();
    const died = Date.now();
    await burst;
    await appendBursts(id, 20); // while nobody writes
    await waitUntil('the survivor to write', () => survivor.live.writing, 3 * TTL_MS, 10);
    console.log(`the survivor wrote ${Date.now() - died} ms after the writer died (lease time to live ${TTL_MS} ms)`);
    expect(dying.live.writing).toBe(false);
    await appendBursts(id, 20); // and the pipeline goes on
    // Well within the 30 s ack wait: what the dead writer took comes first again, not after newer
    // events of its stream (then the position guard would skip it as already applied).
    await expectEveryUpdate(live, 10_000);
  }, 60_000);
});
