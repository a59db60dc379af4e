import { randomUUID } from 'node:crypto';
import { DeliverPolicy, jetstream, jetstreamManager, JetStreamApiError } from '@nats-io/jetstream';
import { connect, type NatsConnection } from '@nats-io/transport-node';
import { JetStreamEventStore } from '@slipway/event-store';
import { busCredentials } from '@slipway/messaging';
import { eventStreamName, type Context } from '@slipway/proto';
import { infraEnv, startScratchPlatform, waitUntil, type ScratchPlatform } from '@slipway/testing';
import { ReadStore } from '../read-store';
import { handles, type Projection } from './projection';
import { rebuildProjection } from './projection-rebuild';
import { ProjectionRunner } from './projection-runner';
import { projections } from './projections';
import { JetStreamWriterLeases } from './writer-leases.adapter';

/**
 * How much of each event stream the test looks at: the newest messages, so the history is real (what
 * the services and the other tests appended here) and its size fixed, whatever the machine kept.
 * Over the whole history this test took 81-87 s here and 229 s on the CI machine, and grew with it.
 */
const TAIL = 600;
const STREAM_NOT_FOUND = 10059;

/**
 * Copies the aggregates whose every event is among the last `TAIL` messages of a context's event
 * stream, from the platform's NATS (read with an ephemeral ordered consumer: nothing is written
 * there) into the scratch one, in their order. An aggregate cut in two is left out: a deployment
 * without its DeploymentRequested is no history the platform ever has, and its document depends on
 * which of its other events comes first (the live runner and the rebuild differ there by design).
 */
const copyTail = async (from: NatsConnection, to: NatsConnection, context: Context): Promise<string> => {
  const name = eventStreamName(context);
  const info = await (await jetstreamManager(from)).streams.info(name, { subjects_filter: '>' }).catch((err: unknown) =>
    err instanceof JetStreamApiError && err.code === STREAM_NOT_FOUND ? undefined : Promise.reject(err),
  );
  if (!info || info.state.messages === 0) return `${context} 0`;
  const { first_seq: first, last_seq: last, subjects = {} } = info.state;
  const start = Math.max(first, last - TAIL + 1);
  const consumer = await jetstream(from).consumers.get(name, { deliver_policy: DeliverPolicy.StartSequence, opt_start_seq: start });
  const tail: { subject: string; data: Uint8Array }[] = [];
  for (let seq = start - 1; seq < last; ) {
    const batch = await consumer.fetch({ max_messages: 500, expires: 5_000 });
    let any = false;
    for await (const m of batch) {
      any = true;
      seq = m.seq;
      tail.push({ subject: m.subject, data: m.data });
      if (seq >= last) break;
    }
    if (!any) throw new Error(`${name}: NATS sent nothing for 5 s after sequence ${seq} of ${last}`);
  }
  const inTail = new Map<string, number>();
  for (const m of tail) inTail.set(m.subject, (inTail.get(m.subject) ?? 0) + 1);
  const whole = tail.filter((m) => inTail.get(m.subject) === subjects[m.subject]);
  const target = jetstream(to);
  for (const m of whole) await target.publish(m.subject, m.data);
  return `${context} ${whole.length} of ${tail.length}`;
};

/**
 * Every read model, kept live from its durable consumers and rebuilt from the first event over the
 * same event history, must be identical; and redelivering an event changes nothing. On a platform of
 * its own (scratch NATS and FerretDB) holding the newest part of this machine's history: the
 * platform's servers are only read.
 */
describe('read models rebuild to the same documents', () => {
  let scratch: ScratchPlatform;
  let nc: NatsConnection;
  let store: JetStreamEventStore;
  let readStore: ReadStore;

  beforeAll(async () => {
    scratch = await startScratchPlatform();
    nc = await connect({ servers: scratch.NATS_URL });
    store = await JetStreamEventStore.create(nc);
    readStore = new ReadStore(scratch.MONGO_URL);
    const platform = await connect({ servers: infraEnv().NATS_URL, ...busCredentials('operator') });
    try {
      const started = Date.now();
      const contexts = [...new Set(projections.flatMap((p) => p.sources.map((s) => s.context)))];
      const copied = await Promise.all(contexts.map((c) => copyTail(platform, nc, c)));
      console.log(`copied the whole aggregates among the newest ${TAIL} messages of each stream in ${Date.now() - started} ms: ${copied.join(', ')}`);
    } finally {
      await platform.close();
    }
  }, 120_000);

  afterAll(async () => {
    await store?.close();
    await readStore?.close();
    await nc?.close();
    await scratch?.stop();
  });

  it.each(projections as Projection<object>[])('$name', async (projection) => {
    const tag = randomUUID().slice(0, 8);
    const live = { ...projection, name: `test-live-${tag}`, collection: `test_live_${tag}` };
    const jsm = await jetstreamManager(nc);
    const consumers = projection.sources.map((s) => [eventStreamName(s.context), `gateway-${live.name}-${s.context}`] as const);

    const runner = new ProjectionRunner(live, readStore);
    await runner.start(store, await JetStreamWriterLeases.open(nc));
    await waitUntil(
      'the live projection to catch up',
      async () => {
        for (const [stream, consumer] of consumers) {
          const info = await jsm.consumers.info(stream, consumer);
          if (info.num_pending > 0 || info.num_ack_pending > 0) return false;
        }
        return true;
      },
      60_000,
      100,
    );
    await runner.stop();

    const result = await rebuildProjection(projection, store, readStore, `test_rebuilt_${tag}`);
    const db = await readStore.db();
    const strip = ({ _rev: _r, ...doc }: Record<string, unknown>) => doc;
    const liveDocs = (await db.collection(live.collection).find({}).sort({ _id: 1 }).toArray()).map(strip);
    const rebuiltDocs = (await db.collection(`test_rebuilt_${tag}`).find({}).sort({ _id: 1 }).toArray()).map(strip);
    expect(result.documents).toBe(liveDocs.length);
    expect(rebuiltDocs).toEqual(liveDocs);

    // Redelivery: applying every event once more changes no document.
    const before = await db.collection(live.collection).find({}).sort({ _id: 1 }).toArray();
    const again = new ProjectionRunner(live, readStore);
    for (const source of projection.sources) for (const e of await store.readAll(source)) if (handles(projection, e.type)) await again.apply(e);
    expect(await db.collection(live.collection).find({}).sort({ _id: 1 }).toArray()).toEqual(before);
    console.log(`${projection.name}: ${result.events} events, ${result.documents} documents`);
  }, 120_000);
});
