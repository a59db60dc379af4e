import {
  AckPolicy,
  DeliverPolicy,
  JetStreamApiError,
  jetstream,
  jetstreamManager,
  type JetStreamClient,
  type JetStreamManager,
  type JsMsg,
} from '@nats-io/jetstream';
import { nanos, type NatsConnection } from '@nats-io/transport-node';
import {
  eventFilter,
  eventRegistry,
  eventStreamName,
  eventSubject,
  parseEventSubject,
  type EventEnvelope,
  type EventSchemaRegistry,
} from '@slipway/proto';
import { deadLetterEnvelope, deadLetterStream } from './dead-letter';
import { RedeliverLater, WrongExpectedVersion } from './event-store.errors';
import type {
  AppendResult,
  EventFilter,
  EventHandler,
  EventStore,
  ExpectedVersion,
  StoredEvent,
  StreamId,
  StreamVersion,
  SubscribeOptions,
  Subscription,
} from './event-store.port';
import { validateAppend } from './event-validation';
import { ensureEventStreams } from './jetstream-streams';
import { SubscriptionSet } from './subscription-set';

const WRONG_LAST_SEQUENCE = 10071;

/**
 * One NATS message per append, holding the whole batch of a command's events: JetStream 2.9 has
 * no multi-message atomic publish, and one message is atomic and deduplicated by its id.
 */
interface CommitMessage {
  events: EventEnvelope[];
}

/** The longest wait before a failed event is handed out again. */
const MAX_RETRY_DELAY_MS = 60_000;

export interface JetStreamEventStoreOptions {
  registry?: EventSchemaRegistry;
  /** Upper bound for one read; a read gives up rather than hang on a vanished server. */
  readTimeoutMs?: number;
}

export class JetStreamEventStore implements EventStore {
  private readonly registry: EventSchemaRegistry;
  private readonly subscriptions = new SubscriptionSet();

  private constructor(
    private readonly nc: NatsConnection,
    private readonly js: JetStreamClient,
    private readonly jsm: JetStreamManager,
    private readonly options: JetStreamEventStoreOptions,
  ) {
    this.registry = options.registry ?? eventRegistry;
  }

  /** Connects the store to an open NATS connection and declares the event streams. */
  static async create(nc: NatsConnection, options: JetStreamEventStoreOptions = {}): Promise<JetStreamEventStore> {
    const jsm = await jetstreamManager(nc);
    await ensureEventStreams(jsm);
    return new JetStreamEventStore(nc, jetstream(nc), jsm, options);
  }

  async append(stream: StreamId, events: EventEnvelope[], expectedVersion: ExpectedVersion): Promise<AppendResult> {
    const valid = validateAppend(this.registry, stream, events);
    const body: CommitMessage = { events: valid };
    try {
      const ack = await this.js.publish(eventSubject(stream.context, stream.aggregate, stream.id), JSON.stringify(body), {
        msgID: valid[0].id,
        ...(expectedVersion === 'any' ? {} : { expect: { lastSubjectSequence: expectedVersion } }),
      });
      return { version: ack.seq, duplicate: ack.duplicate };
    } catch (err) {
      if (err instanceof JetStreamApiError && err.code === WRONG_LAST_SEQUENCE) {
        throw new WrongExpectedVersion(stream, expectedVersion);
      }
      throw err;
    }
  }

  async read(stream: StreamId): Promise<{ events: StoredEvent[]; version: StreamVersion }> {
    const subject = eventSubject(stream.context, stream.aggregate, stream.id);
    const streamName = eventStreamName(stream.context);
    // The last message tells where to stop, so an empty or short stream never waits on a fetch.
    const last = await this.jsm.streams.getMessage(streamName, { last_by_subj: subject });
    if (!last) return { events: [], version: 0 };
    const consumer = await this.js.consumers.get(streamName, { filter_subjects: subject });
    const events: StoredEvent[] = [];
    const deadline = Date.now() + (this.options.readTimeoutMs ?? 10_000);
    try {
      while (Date.now() < deadline) {
        const batch = await consumer.fetch({ max_messages: 1000, expires: 1000 });
        for await (const m of batch) {
          events.push(...this.decode(m.subject, m.seq, m.string()));
          if (m.seq >= last.seq) return { events, version: last.seq };
        }
      }
      throw new Error(`Reading ${subject} timed out before sequence ${last.seq}`);
    } finally {
      await consumer.delete().catch(() => undefined);
    }
  }

  async readAll(filter: EventFilter): Promise<StoredEvent[]> {
    const consumer = await this.js.consumers.get(eventStreamName(filter.context), {
      filter_subjects: eventFilter(filter.context, filter.aggregate),
    });
    const events: StoredEvent[] = [];
    // Every message there was when the read began, or an error: never a part of them. A fetch that
    // came back empty used to end the read, and on a busy machine the clean-up then judged a live
    // project unknown from the first part of the project stream (and removed its Swarm service).
    // The read gives up when NATS sends nothing for `readTimeoutMs`, not after a fixed total: a CI
    // machine under load once sent 3,014 of 6,046 project messages in 60 s (here: 6,000 in 0.2 s),
    // and a total limit failed a read that was still moving. It still ends: at most that long per
    // message there was when it began.
    const stallMs = this.options.readTimeoutMs ?? 10_000;
    const started = Date.now();
    let lastProgress = started;
    try {
      const expected = (await consumer.info()).num_pending;
      let read = 0;
      while (read < expected) {
        if (Date.now() - lastProgress > stallMs) {
          const took = ((Date.now() - started) / 1000).toFixed(1);
          throw new Error(`Reading ${eventFilter(filter.context, filter.aggregate)} stalled: NATS sent nothing for ${stallMs / 1000} s, after ${read} of ${expected} messages in ${took} s`);
        }
        const batch = await consumer.fetch({ max_messages: 1000, expires: 1000 });
        for await (const m of batch) {
          read++;
          lastProgress = Date.now();
          events.push(...this.decode(m.subject, m.seq, m.string()));
          if (m.info.pending === 0) return events;
        }
      }
      return events;
    } finally {
      await consumer.delete().catch(() => undefined);
    }
  }

  async subscribe(
    durableName: string,
    filter: EventFilter,
    handler: EventHandler,
    options: SubscribeOptions = {},
  ): Promise<Subscription> {
    const maxDeliver = options.maxDeliver ?? 5;
    const retryDelayMs = options.retryDelayMs ?? 200;
    const ackWaitMs = options.ackWaitMs ?? 30_000;
    const streamName = eventStreamName(filter.context);
    const config = {
      durable_name: durableName,
      filter_subject: eventFilter(filter.context, filter.aggregate),
      ack_policy: AckPolicy.Explicit,
      deliver_policy: DeliverPolicy.All,
      max_deliver: Number.isFinite(maxDeliver) ? maxDeliver : -1,
      ack_wait: nanos(ackWaitMs),
    };
    try {
      await this.jsm.consumers.add(streamName, config);
    } catch {
      // It exists with another configuration (a changed retry policy): bring it up to date.
      const { durable_name: _, deliver_policy: __, ...updatable } = config;
      await this.jsm.consumers.update(streamName, durableName, updatable);
    }
    const consumer = await this.js.consumers.get(streamName, durableName);
    const messages = await consumer.consume({ max_messages: 256 });
    const delivering = (async () => {
      for await (const m of messages) await this.deliver(m, durableName, handler, { maxDeliver, retryDelayMs, ackWaitMs });
    })();
    return this.subscriptions.track(delivering, () => messages.close());
  }

  async close(): Promise<void> {
    await this.subscriptions.stopAll();
  }

  private async deliver(
    m: JsMsg,
    consumer: string,
    handler: EventHandler,
    { maxDeliver, retryDelayMs, ackWaitMs }: { maxDeliver: number; retryDelayMs: number; ackWaitMs: number },
  ) {
    let events: StoredEvent[] = [];
    // While the handler runs, the event stays ours; once this process is gone, the ack wait hands it out again.
    const heartbeat = setInterval(() => m.working(), Math.max(100, Math.floor(ackWaitMs / 3)));
    try {
      events = this.decode(m.subject, m.seq, m.string());
      for (const event of events) await handler(event);
      m.ack();
    } catch (err) {
      if (err instanceof RedeliverLater) {
        m.nak(err.delayMs);
        return;
      }
      const attempts = m.info.deliveryCount;
      if (attempts < maxDeliver) {
        // Capped: a consumer that asks again and again (RedeliverLater, maxDeliver Infinity) reaches
        // a delivery count where the doubled delay would be centuries, past what NATS can take.
        m.nak(Math.min(retryDelayMs * 2 ** (attempts - 1), MAX_RETRY_DELAY_MS));
        return;
      }
      await this.deadLetter(consumer, m, events[0], attempts, err);
      m.term(`dead-lettered after ${attempts} attempts`);
    } finally {
      clearInterval(heartbeat);
    }
  }

  private async deadLetter(consumer: string, m: JsMsg, event: StoredEvent | undefined, attempts: number, err: unknown) {
    const eventId = event?.id ?? `seq-${m.seq}`;
    const letter = deadLetterEnvelope({
      consumer,
      eventId,
      eventType: event?.type ?? 'unreadable',
      subject: m.subject,
      attempts,
      error: err instanceof Error ? err.message : String(err),
      correlationId: event?.correlationId ?? eventId,
    });
    await this.append(deadLetterStream(consumer), [letter], 'any');
  }

  private decode(subject: string, seq: number, body: string): StoredEvent[] {
    const stream = parseEventSubject(subject);
    if (!stream) throw new Error(`Message on ${subject} is not on an event subject`);
    const commit = JSON.parse(body) as CommitMessage;
    return commit.events.map((e, batchIndex) => {
      const { version, data } = this.registry.upcast(e.type, e.version, e.data);
      return { ...e, version, data, stream, streamVersion: seq, batchIndex };
    });
  }

  /** The connection this store runs on, for health reporting. */
  get connection(): NatsConnection {
    return this.nc;
  }
}
