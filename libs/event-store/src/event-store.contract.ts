/**
 * The contract every EventStore adapter is held to. Run it from an *.int.spec.ts against a real
 * server: `eventStoreContract('JetStream', () => createStore())`.
 */
import { randomUUID } from 'node:crypto';
import { InvalidEventPayload, type EventEnvelope } from '@slipway/proto';
import { exampleServiceSpec } from '@slipway/testing';
import { handleCommand } from './command-handler';
import type { Decider } from './decider';
import { RedeliverLater, WrongExpectedVersion } from './event-store.errors';
import type { EventStore, StoredEvent, StreamId } from './event-store.port';

const newStream = (): StreamId => ({ context: 'deploy', aggregate: 'deployment', id: `d_${randomUUID().slice(0, 8)}` });

/** A valid DeploymentRequested (its latest version) for `stream`, with made-up ids: for store tests that need a real event. */
export const requested = (stream: StreamId, overrides: Partial<EventEnvelope> = {}): EventEnvelope => ({
  id: randomUUID(),
  type: 'DeploymentRequested',
  version: 2,
  aggregateId: stream.id,
  occurredAt: new Date().toISOString(),
  correlationId: 'corr-1',
  causationId: 'cmd-1',
  actor: { kind: 'user', id: 'u_1' },
  data: {
    deploymentId: stream.id,
    serviceId: 's_1',
    projectId: 'p_1',
    projectName: 'shop',
    serviceName: 'web',
    requestedAt: new Date().toISOString(),
    trigger: { kind: 'manual' },
    spec: exampleServiceSpec({ source: { kind: 'image', ref: '127.0.0.1:5000/shop/web:1' } }),
    waitsFor: [],
    dependents: [],
  },
  ...overrides,
});

const started = (stream: StreamId, imageRef = 'reg/app:1'): EventEnvelope =>
  requested(stream, {
    type: 'DeploymentStarted',
    version: 1,
    data: { deploymentId: stream.id, imageRef, startedAt: new Date().toISOString() },
  });

const waitFor = async (what: string, check: () => boolean | Promise<boolean>, timeoutMs = 10_000) => {
  const until = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > until) throw new Error(`Timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 20));
  }
};

export const eventStoreContract = (name: string, createStore: () => Promise<EventStore>) => {
  describe(`EventStore contract: ${name}`, () => {
    let store: EventStore;
    beforeAll(async () => {
      store = await createStore();
    });
    afterAll(async () => {
      await store.close();
    });

    it('reads a stream that was never written as empty, at version 0', async () => {
      expect(await store.read(newStream())).toEqual({ events: [], version: 0 });
    });

    it('appends and reads back in order, with the whole envelope', async () => {
      const stream = newStream();
      const first = requested(stream);
      const { version } = await store.append(stream, [first], 0);
      expect(version).toBeGreaterThan(0);
      const second = started(stream);
      const third = started(stream, 'reg/app:2');
      const after = await store.append(stream, [second, third], version);

      const read = await store.read(stream);
      expect(read.version).toBe(after.version);
      expect(read.events.map((e) => e.id)).toEqual([first.id, second.id, third.id]);
      expect(read.events[0]).toMatchObject({ ...first, stream });
      expect(read.events[2].data).toMatchObject({ imageRef: 'reg/app:2' });
    });

    it('refuses a stale expected version with a typed conflict and leaves the stream as it was', async () => {
      const stream = newStream();
      const { version } = await store.append(stream, [requested(stream)], 0);
      await expect(store.append(stream, [started(stream)], 0)).rejects.toBeInstanceOf(WrongExpectedVersion);
      await expect(store.append(stream, [started(stream)], version + 1000)).rejects.toThrow(/is not at version/);
      expect((await store.read(stream)).events).toHaveLength(1);
    });

    it('lets exactly one of two concurrent writers at the same version win', async () => {
      const stream = newStream();
      const { version } = await store.append(stream, [requested(stream)], 0);
      const results = await Promise.allSettled([
        store.append(stream, [started(stream, 'reg/a:1')], version),
        store.append(stream, [started(stream, 'reg/b:1')], version),
      ]);
      expect(results.filter((r) => r.status === 'fulfilled')).toHaveLength(1);
      const rejected = results.find((r) => r.status === 'rejected') as PromiseRejectedResult;
      expect(rejected.reason).toBeInstanceOf(WrongExpectedVersion);
      expect((await store.read(stream)).events).toHaveLength(2);
    });

    it('rejects a payload that fails its schema, naming the field, and appends none of the batch', async () => {
      const stream = newStream();
      const bad = started(stream);
      (bad.data as Record<string, unknown>).imageRef = '';
      const attempt = store.append(stream, [requested(stream), bad], 0);
      await expect(attempt).rejects.toBeInstanceOf(InvalidEventPayload);
      await expect(store.append(stream, [requested(stream), bad], 0)).rejects.toThrow(/field "imageRef"/);
      expect(await store.read(stream)).toEqual({ events: [], version: 0 });
    });

    it('rejects unknown event types and broken envelopes before writing', async () => {
      const stream = newStream();
      await expect(store.append(stream, [requested(stream, { type: 'DeploymentExploded' })], 0)).rejects.toThrow(
        /Unknown event type "DeploymentExploded"/,
      );
      await expect(store.append(stream, [requested(stream, { id: 'not-a-uuid' })], 0)).rejects.toThrow(/envelope.id/);
      expect((await store.read(stream)).events).toHaveLength(0);
    });

    it('is idempotent: the same events appended twice are stored once', async () => {
      const stream = newStream();
      const batch = [requested(stream), started(stream)];
      const first = await store.append(stream, batch, 0);
      const again = await store.append(stream, batch, 0);
      expect(again.version).toBe(first.version);
      expect((await store.read(stream)).events.map((e) => e.id)).toEqual(batch.map((e) => e.id));
    });

    it('reads every event of one aggregate type across its streams, in append order', async () => {
      const aggregate = `contract-all-${randomUUID().slice(0, 6)}`;
      const a: StreamId = { context: 'deploy', aggregate, id: 'a' };
      const b: StreamId = { context: 'deploy', aggregate, id: 'b' };
      expect(await store.readAll({ context: 'deploy', aggregate })).toEqual([]);
      const first = await store.append(a, [started(a, 'reg/a:1')], 0);
      await store.append(b, [started(b, 'reg/b:1'), started(b, 'reg/b:2')], 0);
      await store.append(a, [started(a, 'reg/a:2')], first.version);
      const all = await store.readAll({ context: 'deploy', aggregate });
      expect(all.map((e) => e.data.imageRef)).toEqual(['reg/a:1', 'reg/b:1', 'reg/b:2', 'reg/a:2']);
    });

    it('reads every event of an aggregate type past one fetch (2,100 messages: three batches)', async () => {
      const aggregate = `contract-many-${randomUUID().slice(0, 6)}`;
      const ids = Array.from({ length: 2_100 }, (_, i) => `s${i}`);
      for (let i = 0; i < ids.length; i += 50) {
        await Promise.all(ids.slice(i, i + 50).map((id) => store.append({ context: 'deploy', aggregate, id }, [started({ context: 'deploy', aggregate, id }, `reg/${id}:1`)], 0)));
      }
      const all = await store.readAll({ context: 'deploy', aggregate });
      expect(new Set(all.map((e) => e.aggregateId))).toEqual(new Set(ids));
      expect(all).toHaveLength(ids.length);
    }, 60_000);

    it('upcasts old event versions on read', async () => {
      const stream: StreamId = { context: 'build', aggregate: 'build', id: newStream().id };
      const v1 = requested(stream, { type: 'BuildFailed', version: 1, data: { buildId: stream.id, reason: 'npm ci failed' } });
      await store.append(stream, [v1], 0);
      const [event] = (await store.read(stream)).events;
      expect(event.version).toBe(2);
      expect(event.data).toEqual({ buildId: stream.id, reason: 'npm ci failed', lastLogLines: [] });
    });

    it('delivers to a durable subscriber every event, in order, and resumes where it stopped', async () => {
      const durable = `contract-${randomUUID().slice(0, 8)}`;
      const streams = [newStream(), newStream()];
      const mine = (e: StoredEvent) => streams.some((s) => s.id === e.aggregateId);
      // Events before the subscription exists are delivered too.
      await store.append(streams[0], [requested(streams[0])], 0);
      const seen: StoredEvent[] = [];
      let sub = await store.subscribe(durable, { context: 'deploy' }, async (e) => {
        if (mine(e)) seen.push(e);
      });
      const v = await store.append(streams[1], [requested(streams[1]), started(streams[1])], 0);
      await waitFor('3 events', () => seen.length === 3);
      expect(seen.map((e) => e.type)).toEqual(['DeploymentRequested', 'DeploymentRequested', 'DeploymentStarted']);

      await sub.stop();
      await store.append(streams[1], [started(streams[1], 'reg/app:after-stop')], v.version);
      sub = await store.subscribe(durable, { context: 'deploy' }, async (e) => {
        if (mine(e)) seen.push(e);
      });
      await waitFor('the event appended while stopped', () => seen.length === 4);
      await new Promise((r) => setTimeout(r, 200));
      expect(seen).toHaveLength(4);
      expect(seen[3].data).toMatchObject({ imageRef: 'reg/app:after-stop' });
      await sub.stop();
    });

    it('retries a failing handler a bounded number of times, then records a dead letter and moves on', async () => {
      const durable = `contract-dlq-${randomUUID().slice(0, 8)}`;
      const poison = newStream();
      const healthy = newStream();
      const attempts: string[] = [];
      const handled: string[] = [];
      const sub = await store.subscribe(
        durable,
        { context: 'deploy' },
        async (e) => {
          if (e.aggregateId === poison.id) {
            attempts.push(e.id);
            throw new Error('registry unreachable');
          }
          if (e.aggregateId === healthy.id) handled.push(e.id);
        },
        { maxDeliver: 3, retryDelayMs: 20 },
      );
      const poisonEvent = requested(poison);
      await store.append(poison, [poisonEvent], 0);
      await store.append(healthy, [requested(healthy)], 0);
      const deadLetters = { context: 'system', aggregate: 'dead-letter', id: durable } as const;
      await waitFor('a dead letter', async () => (await store.read(deadLetters)).events.length > 0, 15_000);
      await waitFor('the healthy event', () => handled.length === 1);
      expect(attempts).toEqual([poisonEvent.id, poisonEvent.id, poisonEvent.id]);
      const [letter] = (await store.read(deadLetters)).events;
      expect(letter.type).toBe('EventDeadLettered');
      expect(letter.data).toMatchObject({
        consumer: durable,
        eventId: poisonEvent.id,
        eventType: 'DeploymentRequested',
        attempts: 3,
        error: 'registry unreachable',
      });
      await new Promise((r) => setTimeout(r, 300));
      expect(attempts).toHaveLength(3);
      await sub.stop();
    });

    it('delivers again, later, an event whose handler is not done with it, without counting it as a failure', async () => {
      const durable = `contract-later-${randomUUID().slice(0, 8)}`;
      const watched = newStream();
      const deliveries: number[] = [];
      const sub = await store.subscribe(
        durable,
        { context: 'deploy' },
        async (e) => {
          if (e.aggregateId !== watched.id) return;
          deliveries.push(Date.now());
          if (deliveries.length < 4) throw new RedeliverLater(150, 'its deadline has not come');
        },
        { maxDeliver: Infinity, retryDelayMs: 10 },
      );
      await store.append(watched, [requested(watched)], 0);
      await waitFor('the fourth delivery', () => deliveries.length === 4, 15_000);
      const gaps = deliveries.slice(1).map((t, i) => t - deliveries[i]);
      expect(Math.min(...gaps)).toBeGreaterThanOrEqual(120);
      await new Promise((r) => setTimeout(r, 400));
      expect(deliveries).toHaveLength(4);
      const deadLetters = { context: 'system', aggregate: 'dead-letter', id: durable } as const;
      expect((await store.read(deadLetters)).events).toEqual([]);
      await sub.stop();
    });

    it('handles a command by re-reading and re-deciding after a concurrency conflict', async () => {
      type State = { images: string[] };
      type Cmd = { imageRef: string };
      type Ev = { type: 'DeploymentStarted'; data: { deploymentId: string; imageRef: string; startedAt: string } };
      const stream = newStream();
      await store.append(stream, [requested(stream)], 0);
      let decisions = 0;
      const decider: Decider<Cmd, Ev, State> = {
        initialState: { images: [] },
        evolve: (s, e) => (e.type === 'DeploymentStarted' ? { images: [...s.images, e.data.imageRef] } : s),
        decide: (c, s) => {
          decisions++;
          // A rival writer sneaks in after our first read.
          if (decisions === 1) void store.append(stream, [started(stream, 'reg/rival:1')], 'any');
          return s.images.includes(c.imageRef)
            ? []
            : [{ type: 'DeploymentStarted', data: { deploymentId: stream.id, imageRef: c.imageRef, startedAt: new Date().toISOString() } }];
        },
      };
      await new Promise((r) => setTimeout(r, 0));
      const metadata = { commandId: randomUUID(), correlationId: 'c', actor: { kind: 'user' as const, id: 'u' }, now: new Date().toISOString() };
      const slowStore: EventStore = {
        ...store,
        read: (s) => store.read(s),
        append: async (s, e, v) => {
          await new Promise((r) => setTimeout(r, 50));
          return store.append(s, e, v);
        },
        subscribe: store.subscribe.bind(store),
        close: async () => undefined,
      };
      const result = await handleCommand({ store: slowStore, stream, decider, command: { imageRef: 'reg/mine:1' }, metadata });
      expect(result.attempts).toBe(2);
      const images = (await store.read(stream)).events.filter((e) => e.type === 'DeploymentStarted').map((e) => e.data.imageRef);
      expect(images).toEqual(['reg/rival:1', 'reg/mine:1']);
      // The same command again (a redelivery) decides nothing new.
      const again = await handleCommand({ store, stream, decider, command: { imageRef: 'reg/mine:1' }, metadata });
      expect(again.events).toEqual([]);
    });
  });
};
