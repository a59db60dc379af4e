import { once } from 'node:events';
import { createReadStream, createWriteStream } from 'node:fs';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { DeliverPolicy, JetStreamApiError, jetstream, type ConsumerConfig, type JetStreamClient, type StreamConfig } from '@nats-io/jetstream';
import { headers as natsHeaders, type NatsConnection } from '@nats-io/transport-node';
import { contexts, eventStreamName, LOG_STREAM } from '@slipway/proto';

/** A durable consumer and how far it had acknowledged: a service's reaction goes on from there after a restore. */
export interface ConsumerPosition {
  name: string;
  config: Partial<ConsumerConfig>;
  ackFloor: number;
}

export interface StreamDump {
  name: string;
  config: Partial<StreamConfig>;
  messages: number;
  bytes: number;
  consumers: ConsumerPosition[];
}

/** One stored message, as a line of `streams/<name>.ndjson`. */
interface MessageLine {
  seq: number;
  subject: string;
  headers?: Record<string, string[]>;
  data: string;
}

/** Every context's event stream and the build logs: the history. The writer leases are not kept: they are rebuilt. */
export const backedUpStreams = (): string[] => [...contexts.map(eventStreamName), LOG_STREAM.name];

/**
 * The consumers a restore puts back where they were: every service's. The gateway's read models
 * are not in a backup (they are rebuilt from the events), so their consumers start anew.
 */
export const keepsPosition = (consumer: string): boolean => !consumer.startsWith('gateway-');

const STREAM_NOT_FOUND = 10059;
/** NATS sent nothing for this long while messages were still due: the read ends with a reason. */
const IDLE_MS = 30_000;

/** Writes each stream's messages to `dir/<name>.ndjson` and returns what it wrote; a stream that does not exist is skipped. */
export const dumpStreams = async (nc: NatsConnection, dir: string, progress: (line: string) => void): Promise<StreamDump[]> => {
  const js = jetstream(nc);
  const jsm = await js.jetstreamManager();
  const dumps: StreamDump[] = [];
  for (const name of backedUpStreams()) {
    const info = await jsm.streams.info(name).catch((err: unknown) => (err instanceof JetStreamApiError && err.code === STREAM_NOT_FOUND ? undefined : Promise.reject(err)));
    if (!info) continue;
    const consumers: ConsumerPosition[] = [];
    for await (const c of jsm.consumers.list(name)) {
      if (c.config.durable_name) consumers.push({ name: c.name, config: c.config, ackFloor: c.ack_floor.stream_seq });
    }
    const { messages, bytes } = await dumpMessages(js, name, info.state.first_seq, info.state.last_seq, join(dir, `${name}.ndjson`));
    progress(`${name}: ${messages} messages, ${consumers.length} consumers`);
    dumps.push({ name, config: info.config, messages, bytes, consumers });
  }
  return dumps;
};

const dumpMessages = async (js: JetStreamClient, stream: string, firstSeq: number, lastSeq: number, file: string) => {
  const out = createWriteStream(file);
  let messages = 0;
  let bytes = 0;
  if (lastSeq > 0 && lastSeq >= firstSeq) {
    const consumer = await js.consumers.get(stream, { deliver_policy: DeliverPolicy.StartSequence, opt_start_seq: firstSeq });
    const iterator = await consumer.consume({ max_messages: 512 });
    // A guard re-armed by every message: a long history is fine, silence is not.
    let stalled = false;
    let guard: NodeJS.Timeout | undefined;
    const arm = () => {
      clearTimeout(guard);
      guard = setTimeout(() => ((stalled = true), iterator.stop()), IDLE_MS);
    };
    arm();
    try {
      for await (const m of iterator) {
        arm();
        const line: MessageLine = { seq: m.seq, subject: m.subject, data: Buffer.from(m.data).toString('base64') };
        if (m.headers) line.headers = Object.fromEntries(m.headers.keys().map((k) => [k, m.headers!.values(k)]));
        if (!out.write(`${JSON.stringify(line)}\n`)) await once(out, 'drain');
        messages++;
        bytes += m.data.length;
        if (m.seq >= lastSeq) break;
      }
    } finally {
      clearTimeout(guard);
      iterator.stop();
    }
    if (stalled) {
      out.destroy();
      throw new Error(`NATS sent nothing for ${IDLE_MS / 1000} s while reading ${stream} (${messages} messages read, up to sequence ${lastSeq} due): is it running? Try again`);
    }
  }
  out.end();
  await once(out, 'finish');
  return { messages, bytes };
};

/** Publishes a dumped stream into this instance's (empty) stream of the same name, and puts the services' consumers back where they were. */
export const loadStream = async (nc: NatsConnection, dir: string, dump: StreamDump, progress: (line: string) => void): Promise<number> => {
  const js = jetstream(nc);
  const jsm = await js.jetstreamManager();
  const held = await jsm.streams.info(dump.name).catch((err: unknown) => (err instanceof JetStreamApiError && err.code === STREAM_NOT_FOUND ? undefined : Promise.reject(err)));
  if (!held) await jsm.streams.add({ ...dump.config, name: dump.name });
  else if (held.state.messages > 0) {
    throw new Error(`This instance already holds ${held.state.messages} messages in ${dump.name}: restore onto a fresh instance (an empty data directory), never over a running one`);
  }
  // old sequence → new sequence, in order: consumers' positions are old sequences.
  const oldSeqs: number[] = [];
  const newSeqs: number[] = [];
  let pending: Promise<void>[] = [];
  const lines = createInterface({ input: createReadStream(join(dir, `${dump.name}.ndjson`)), crlfDelay: Infinity });
  for await (const text of lines) {
    if (!text) continue;
    const line = JSON.parse(text) as MessageLine;
    const h = natsHeaders();
    // The append's own concurrency check was for the stream it was first written to.
    for (const [k, values] of Object.entries(line.headers ?? {})) if (!/^Nats-Expected/i.test(k)) for (const v of values) h.append(k, v);
    const index = oldSeqs.push(line.seq) - 1;
    pending.push(js.publish(line.subject, Buffer.from(line.data, 'base64'), { headers: h, timeout: 30_000 }).then((ack) => void (newSeqs[index] = ack.seq)));
    if (pending.length >= 256) {
      await Promise.all(pending);
      pending = [];
    }
    if (oldSeqs.length % 5_000 === 0) progress(`${dump.name}: ${oldSeqs.length} of ${dump.messages} messages`);
  }
  await Promise.all(pending);
  const after = (ackFloor: number) => {
    const i = oldSeqs.findIndex((s) => s > ackFloor);
    return i < 0 ? (newSeqs[newSeqs.length - 1] ?? 0) + 1 : newSeqs[i];
  };
  const kept = dump.consumers.filter((c) => keepsPosition(c.name));
  for (const c of kept) {
    await jsm.consumers.add(dump.name, { ...c.config, deliver_policy: DeliverPolicy.StartSequence, opt_start_seq: after(c.ackFloor) });
  }
  progress(`${dump.name}: ${oldSeqs.length} messages, ${kept.length} consumers where they were`);
  return oldSeqs.length;
};
