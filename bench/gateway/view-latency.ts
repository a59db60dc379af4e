import { randomUUID } from 'node:crypto';
import { performance } from 'node:perf_hooks';
import { connect } from '@nats-io/transport-node';
import { MongoClient } from 'mongodb';
import { JetStreamEventStore, type StreamId } from '@slipway/event-store';
import type { GraphqlTestClient } from '@slipway/testing';
import { viewSubject, type EventEnvelope } from '@slipway/proto';
import { busCredentials } from '@slipway/messaging';
import { readStoreUrl } from '@slipway/secret-box';

export interface ViewLatencyResult {
  /** From the append call to the subscription message at the client (ms). */
  fromAppend: number[];
  /** From the append's acknowledgement (the event is stored) to the message (ms). */
  fromAck: number[];
  /** From the append call to the projection's announcement of the new document on NATS (ms). */
  toAnnouncement: number[];
  appended: number;
  /** Appended events whose message never came (within 30 s of the last append). */
  missing: number;
}

/** The sample number rides in the commit id, so each message names the event that caused it. */
const shaOf = (sample: number) => sample.toString(16).padStart(40, '0');
const sampleOf = (sha: string | null) => (sha && /^0{20}/.test(sha) ? parseInt(sha, 16) : undefined);

/**
 * Appends BuildStarted to the build streams of finished (FAILED) deployments, round robin at `rate`
 * per second, and times each until the `deploymentUpdated` message it causes reaches a graphql-ws
 * client. BuildStarted is read only by the gateway's deployments projection: no service reacts to
 * it, and the projection never moves a FAILED deployment back, so only the view's commitSha and
 * buildStartedAt change.
 */
export const measureViewLatency = async (
  api: GraphqlTestClient,
  natsUrl: string,
  deploymentIds: string[],
  rate: number,
  samples: number,
): Promise<ViewLatencyResult> => {
  const nc = await connect({ servers: natsUrl, ...busCredentials('operator'), name: 'bench-gateway' });
  const store = await JetStreamEventStore.create(nc);
  const runId = randomUUID();
  const appendStart = new Map<number, number>();
  const appendAck = new Map<number, number>();
  const arrived = new Map<number, number>();
  const announced = new Map<number, number>();
  const subscribed = new Set<string>();
  // Where the time goes: the projection announces each document it wrote on core NATS.
  const announcements = nc.subscribe(viewSubject('deployments', '*'));
  void (async () => {
    for await (const m of announcements) {
      const sample = sampleOf(m.json<{ commitSha: string | null }>().commitSha);
      if (sample !== undefined && appendStart.has(sample) && !announced.has(sample)) announced.set(sample, performance.now());
    }
  })();

  const unsubscribe = deploymentIds.map((id) =>
    api.subscribe<{ deploymentUpdated: { id: string; commitSha: string | null } }>(
      'subscription($id: ID!) { deploymentUpdated(deploymentId: $id) { id commitSha } }',
      { id },
      ({ deploymentUpdated }) => {
        const at = performance.now();
        subscribed.add(deploymentUpdated.id); // the first message is the current document
        const sample = sampleOf(deploymentUpdated.commitSha);
        if (sample !== undefined && appendStart.has(sample) && !arrived.has(sample)) arrived.set(sample, at);
      },
    ),
  );
  const deadline = Date.now() + 15_000;
  while (subscribed.size < deploymentIds.length) {
    if (Date.now() > deadline) throw new Error(`only ${subscribed.size} of ${deploymentIds.length} subscriptions answered`);
    await new Promise((r) => setTimeout(r, 20));
  }

  const streams: StreamId[] = deploymentIds.map((id) => ({ context: 'build', aggregate: 'build', id }));
  const versions = await Promise.all(streams.map(async (s) => (await store.read(s)).version));
  const event = (stream: StreamId, sample: number): EventEnvelope => ({
    id: randomUUID(),
    type: 'BuildStarted',
    version: 1,
    aggregateId: stream.id,
    occurredAt: new Date().toISOString(),
    correlationId: `bench-gateway-${runId}`,
    causationId: `bench-gateway-${runId}`,
    actor: { kind: 'service', id: 'bench-gateway' },
    data: { buildId: stream.id, commitSha: shaOf(sample), strategy: 'image' },
  });

  // Paced from a fixed schedule; the appends themselves run concurrently (each stream's are spaced
  // deploymentIds.length / rate apart, so one stream's appends do not overlap).
  const appends: Promise<void>[] = [];
  const t0 = performance.now();
  for (let sample = 0; sample < samples; sample++) {
    const wait = t0 + (sample * 1000) / rate - performance.now();
    if (wait > 0) await new Promise((r) => setTimeout(r, wait));
    const i = sample % streams.length;
    appendStart.set(sample, performance.now());
    appends.push(
      store.append(streams[i], [event(streams[i], sample)], versions[i]).then((r) => {
        versions[i] = r.version;
        appendAck.set(sample, performance.now());
      }),
    );
    if (i === streams.length - 1) await Promise.all(appends.splice(0)); // versions are known before the next round
  }
  await Promise.all(appends);
  // A projection that fell behind still delivers: wait for the stragglers, so they are measured, not lost.
  const waitUntil = Date.now() + 30_000;
  while (arrived.size < samples && Date.now() < waitUntil) await new Promise((r) => setTimeout(r, 20));
  unsubscribe.forEach((stop) => stop());
  await nc.drain();

  const fromAppend: number[] = [];
  const fromAck: number[] = [];
  const toAnnouncement: number[] = [];
  for (const [sample, at] of arrived) {
    fromAppend.push(at - appendStart.get(sample)!);
    fromAck.push(at - appendAck.get(sample)!);
  }
  for (const [sample, at] of announced) toAnnouncement.push(at - appendStart.get(sample)!);
  return { fromAppend, fromAck, toAnnouncement, appended: samples, missing: samples - arrived.size };
};

/**
 * What one event costs the deployments projection in the read store: it reads the document by
 * _id, then replaces it by _id (projection-runner.ts). Timed here with the same calls; the replace
 * writes the document back unchanged.
 */
export const profileProjectionWrite = async (mongoUrl: string, deploymentId: string): Promise<[string, number][]> => {
  const client = await MongoClient.connect(readStoreUrl(mongoUrl));
  try {
    const deployments = client.db('slipway').collection<{ _id: string }>('deployments');
    const current = await deployments.findOne({ _id: deploymentId });
    if (!current) throw new Error(`no deployment document ${deploymentId}`);
    const count = await deployments.estimatedDocumentCount();
    const parts: [string, () => Promise<unknown>][] = [
      [`deployments.findOne { _id } (${count} documents)`, () => deployments.findOne({ _id: deploymentId })],
      ['deployments.replaceOne { _id }', () => deployments.replaceOne({ _id: deploymentId }, current)],
    ];
    const rows: [string, number][] = [];
    for (const [name, work] of parts) {
      const ms: number[] = [];
      for (let i = 0; i < 15; i++) {
        const t0 = performance.now();
        await work();
        ms.push(performance.now() - t0);
      }
      rows.push([name, ms.sort((a, b) => a - b)[7]]);
    }
    return rows;
  } finally {
    await client.close();
  }
};
