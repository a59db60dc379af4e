import { randomUUID } from 'node:crypto';
import { jetstreamManager } from '@nats-io/jetstream';
import { connect, type NatsConnection } from '@nats-io/transport-node';
import { JetStreamEventStore } from '@slipway/event-store';
import { eventStreamName } from '@slipway/proto';
import { infraEnv, waitUntil } from '@slipway/testing';
import { deploymentsProjection } from '../deployments/deployments.projection';
import { credentialsProjection, invitationsProjection, membersProjection, usersProjection } from '../identity/identity.projection';
import { projectsProjection, servicesProjection } from '../projects/projects.projection';
import { ReadStore } from '../read-store';
import { envVarsProjection } from '../service-settings/env-vars.projection';
import { handles, type Projection } from './projection';
import { rebuildProjection } from './projection-rebuild';
import { ProjectionRunner } from './projection-runner';
import { JetStreamWriterLeases } from './writer-leases.adapter';
import { busCredentials } from '@slipway/messaging';

/**
 * Every read model, kept live from its durable consumers and rebuilt from the first event over the
 * same (real) event history, must be identical; and redelivering an event changes nothing.
 */
describe('read models rebuild to the same documents', () => {
  let nc: NatsConnection;
  let store: JetStreamEventStore;
  let readStore: ReadStore;
  const created: { consumers: [string, string][]; collections: string[] } = { consumers: [], collections: [] };

  beforeAll(async () => {
    nc = await connect({ servers: infraEnv().NATS_URL, ...busCredentials('operator') });
    store = await JetStreamEventStore.create(nc);
    readStore = new ReadStore(infraEnv().MONGO_URL);
  });
  afterAll(async () => {
    const jsm = await jetstreamManager(nc);
    for (const [stream, consumer] of created.consumers) await jsm.consumers.delete(stream, consumer).catch(() => undefined);
    const db = await readStore.db();
    for (const c of created.collections) await db.collection(c).drop().catch(() => undefined);
    await store.close();
    await readStore.close();
    await nc.close();
  });

  // The audit log (one document per event, never evolved) is left out: over a long event history its
  // three full passes take minutes, and its evolve is covered by its unit test.
  it.each([
    deploymentsProjection,
    projectsProjection,
    servicesProjection,
    usersProjection,
    credentialsProjection,
    membersProjection,
    invitationsProjection,
    envVarsProjection,
  ] as Projection<object>[])('$name', async (projection) => {
    const tag = randomUUID().slice(0, 8);
    const live = { ...projection, name: `test-live-${tag}`, collection: `test_live_${tag}` };
    created.collections.push(live.collection, `test_rebuilt_${tag}`);
    const jsm = await jetstreamManager(nc);
    for (const source of projection.sources) created.consumers.push([eventStreamName(source.context), `gateway-${live.name}-${source.context}`]);

    const runner = new ProjectionRunner(live, readStore);
    await runner.start(store, await JetStreamWriterLeases.open(nc));
    await waitUntil(
      'the live projection to catch up',
      async () => {
        for (const [stream, consumer] of created.consumers.filter(([, c]) => c.includes(tag))) {
          const info = await jsm.consumers.info(stream, consumer);
          if (info.num_pending > 0 || info.num_ack_pending > 0) return false;
        }
        return true;
      },
      // A machine that keeps its event history across runs (benchmarks seed 1,000 services) needs minutes.
      240_000,
      200,
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
  }, 420_000);
});
