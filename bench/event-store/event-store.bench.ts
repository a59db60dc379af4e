/**
 * bench/event-store — prints the event store's figures (issue: foundation §8):
 *   1. sequential appends/s with the concurrency check: raw JetStream publish vs the adapter
 *   2. concurrent appends/s over many streams
 *   3. append → handler latency p50/p99 at a steady 500 events/s
 *   4. time to read a 1,000-event stream
 * Raw and adapter rounds alternate and medians are reported, because these machines are noisy.
 * Run: npm run bench:event-store
 */
import { randomUUID } from 'node:crypto';
import { performance } from 'node:perf_hooks';
import { jetstream } from '@nats-io/jetstream';
import { JetStreamEventStore, type StreamId } from '@slipway/event-store';
import { eventSubject, type EventEnvelope } from '@slipway/proto';
import { startBenchNats } from './bench-nats';

const SEQUENTIAL = Number(process.env.BENCH_SEQUENTIAL ?? 2000);
const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 3);
const RATE = 500;
const LATENCY_SECONDS = Number(process.env.BENCH_LATENCY_SECONDS ?? 10);

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
const percentile = (xs: number[], p: number) => [...xs].sort((a, b) => a - b)[Math.min(xs.length - 1, Math.floor((p / 100) * xs.length))];
const fmt = (n: number, digits = 0) => n.toLocaleString('en-US', { maximumFractionDigits: digits, minimumFractionDigits: digits });

const stream = (aggregate: string, id = `b${randomUUID().slice(0, 8)}`): StreamId => ({ context: 'deploy', aggregate, id });
const started = (s: StreamId, n: number): EventEnvelope => ({
  id: randomUUID(),
  type: 'DeploymentStarted',
  version: 1,
  aggregateId: s.id,
  occurredAt: new Date().toISOString(),
  correlationId: 'bench',
  causationId: 'bench',
  actor: { kind: 'service', id: 'bench' },
  data: { deploymentId: s.id, imageRef: `127.0.0.1:5000/shop/web:${n}`, startedAt: new Date().toISOString() },
});

const main = async () => {
  const nats = await startBenchNats();
  const nc = await nats.nc();
  const store = await JetStreamEventStore.create(nc);
  const js = jetstream(nc);
  const payloadBytes = JSON.stringify({ events: [started(stream('x'), 0)] }).length;
  console.log(`event-store bench: nats-server on a private port, file storage; ${payloadBytes} B per append`);

  // 1. Sequential appends with the concurrency check.
  const raw: number[] = [];
  const adapter: number[] = [];
  for (let round = 0; round < ROUNDS; round++) {
    {
      const s = stream('bench-raw');
      const subject = eventSubject(s.context, s.aggregate, s.id);
      let seq = 0;
      const t0 = performance.now();
      for (let i = 0; i < SEQUENTIAL; i++) {
        const e = started(s, i);
        const ack = await js.publish(subject, JSON.stringify({ events: [e] }), { msgID: e.id, expect: { lastSubjectSequence: seq } });
        seq = ack.seq;
      }
      raw.push(SEQUENTIAL / ((performance.now() - t0) / 1000));
    }
    {
      const s = stream('bench-adapter');
      let version = 0;
      const t0 = performance.now();
      for (let i = 0; i < SEQUENTIAL; i++) version = (await store.append(s, [started(s, i)], version)).version;
      adapter.push(SEQUENTIAL / ((performance.now() - t0) / 1000));
    }
  }
  const overhead = (median(raw) / median(adapter) - 1) * 100;
  console.log(`\n1. sequential appends with expected version (${SEQUENTIAL} × ${ROUNDS} rounds, median)`);
  console.log(`   raw JetStream publish : ${fmt(median(raw))}/s   rounds ${raw.map((x) => fmt(x)).join(', ')}`);
  console.log(`   EventStore.append     : ${fmt(median(adapter))}/s   rounds ${adapter.map((x) => fmt(x)).join(', ')}`);
  console.log(`   adapter overhead      : ${fmt(overhead, 1)}% (target < 15%)`);

  // 2. Concurrent appends over many streams (each stream written in order, streams in parallel).
  const STREAMS = 100;
  const PER_STREAM = 20;
  const t1 = performance.now();
  await Promise.all(
    Array.from({ length: STREAMS }, async () => {
      const s = stream('bench-concurrent');
      let version = 0;
      for (let i = 0; i < PER_STREAM; i++) version = (await store.append(s, [started(s, i)], version)).version;
    }),
  );
  console.log(`\n2. concurrent appends: ${STREAMS} streams × ${PER_STREAM} → ${fmt((STREAMS * PER_STREAM) / ((performance.now() - t1) / 1000))}/s`);

  // 3. Append → handler latency at a steady rate, through a durable consumer.
  const aggregate = `bench-lat-${randomUUID().slice(0, 6)}`;
  const sentAt = new Map<string, number>();
  const latencies: number[] = [];
  const sub = await store.subscribe(`bench-latency-${aggregate}`, { context: 'deploy', aggregate }, async (e) => {
    const t = sentAt.get(e.id);
    if (t !== undefined) latencies.push(performance.now() - t);
  });
  const total = RATE * LATENCY_SECONDS;
  const t2 = performance.now();
  const pending: Promise<unknown>[] = [];
  for (let i = 0; i < total; i++) {
    const due = t2 + (i * 1000) / RATE;
    const wait = due - performance.now();
    if (wait > 1) await new Promise((r) => setTimeout(r, wait));
    const s = stream(aggregate);
    const e = started(s, i);
    sentAt.set(e.id, performance.now());
    pending.push(store.append(s, [e], 0));
  }
  await Promise.all(pending);
  const achieved = total / ((performance.now() - t2) / 1000);
  const until = Date.now() + 10_000;
  while (latencies.length < total && Date.now() < until) await new Promise((r) => setTimeout(r, 20));
  await sub.stop();
  console.log(`\n3. append → handler latency at ${RATE}/s for ${LATENCY_SECONDS} s (achieved ${fmt(achieved)}/s, ${latencies.length}/${total} delivered)`);
  console.log(`   p50 ${fmt(percentile(latencies, 50), 2)} ms   p99 ${fmt(percentile(latencies, 99), 2)} ms   max ${fmt(Math.max(...latencies), 2)} ms (target p99 ≤ 20 ms)`);

  // 4. Reading a 1,000-event stream.
  const long = stream('bench-read');
  let version = 0;
  for (let i = 0; i < 1000; i += 10) {
    version = (await store.append(long, Array.from({ length: 10 }, (_, k) => started(long, i + k)), version)).version;
  }
  const single = stream('bench-read1');
  let v1 = 0;
  for (let i = 0; i < 1000; i++) v1 = (await store.append(single, [started(single, i)], v1)).version;
  const readTimes = (s: StreamId) => {
    const times: number[] = [];
    return (async () => {
      for (let i = 0; i < 7; i++) {
        const t = performance.now();
        const { events } = await store.read(s);
        if (events.length !== 1000) throw new Error(`read ${events.length} events, expected 1000`);
        times.push(performance.now() - t);
      }
      return times;
    })();
  };
  const oneMessageEach = await readTimes(single);
  const batched = await readTimes(long);
  console.log(`\n4. read a 1,000-event stream (median of 7)`);
  console.log(`   1,000 appends of 1 event : ${fmt(median(oneMessageEach), 1)} ms`);
  console.log(`   100 appends of 10 events : ${fmt(median(batched), 1)} ms`);

  await store.close();
  await nc.close();
  await nats.stop();
};

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
