import {
  ANY,
  EventStoreDBClient,
  FORWARDS,
  jsonEvent,
  NO_STREAM,
  PARK,
  persistentSubscriptionToAllSettingsFromDefaults,
  PersistentSubscriptionExistsError,
  RETRY,
  START,
  StreamNotFoundError,
  streamNameFilter,
  WrongExpectedVersionError,
  type PersistentSubscriptionToAllResolvedEvent,
} from '@eventstore/db-client';
import {
  eventFilter,
  eventRegistry,
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
  SubscribeOptions,
} from './event-store.port';
import { validateAppend } from './event-validation';
import { SubscriptionSet } from './subscription-set';

type EnvelopeMetadata = Omit<EventEnvelope, 'id' | 'type' | 'data'>;

/**
 * The EventStoreDB adapter. Stream names are the same strings as the JetStream subjects, so a
 * filter on a context is a stream-name prefix. Versions are revision + 1, so 0 still means "new".
 */
export class EventStoreDbEventStore implements EventStore {
  private readonly subscriptions = new SubscriptionSet();

  constructor(
    private readonly client: EventStoreDBClient,
    private readonly registry: EventSchemaRegistry = eventRegistry,
  ) {}

  static fromConnectionString(url: string): EventStoreDbEventStore {
    return new EventStoreDbEventStore(EventStoreDBClient.connectionString(url));
  }

  async append(stream: StreamId, events: EventEnvelope[], expectedVersion: ExpectedVersion): Promise<AppendResult> {
    const valid = validateAppend(this.registry, stream, events);
    const expectedRevision =
      expectedVersion === 'any' ? ANY : expectedVersion === 0 ? NO_STREAM : BigInt(expectedVersion - 1);
    try {
      const result = await this.client.appendToStream(
        eventSubject(stream.context, stream.aggregate, stream.id),
        valid.map(({ id, type, data, ...metadata }) => jsonEvent({ id, type, data, metadata })),
        { expectedRevision },
      );
      return { version: Number(result.nextExpectedRevision) + 1 };
    } catch (err) {
      if (err instanceof WrongExpectedVersionError) throw new WrongExpectedVersion(stream, expectedVersion);
      throw err;
    }
  }

  async read(stream: StreamId): Promise<{ events: StoredEvent[]; version: number }> {
    const events: StoredEvent[] = [];
    try {
      const name = eventSubject(stream.context, stream.aggregate, stream.id);
      for await (const resolved of this.client.readStream(name, { direction: FORWARDS, fromRevision: START })) {
        if (resolved.event) events.push(this.decode(resolved.event));
      }
    } catch (err) {
      if (err instanceof StreamNotFoundError) return { events: [], version: 0 };
      throw err;
    }
    return { events, version: events.length ? events[events.length - 1].streamVersion : 0 };
  }

  async readAll(filter: EventFilter): Promise<StoredEvent[]> {
    const prefix = eventFilter(filter.context, filter.aggregate).replace(/>$/, '');
    const events: StoredEvent[] = [];
    for await (const resolved of this.client.readAll({ direction: FORWARDS, fromPosition: START })) {
      if (resolved.event?.streamId.startsWith(prefix)) events.push(this.decode(resolved.event));
    }
    return events;
  }

  async subscribe(durableName: string, filter: EventFilter, handler: EventHandler, options: SubscribeOptions = {}) {
    const maxDeliver = options.maxDeliver ?? 5;
    const prefix = eventFilter(filter.context, filter.aggregate).replace(/>$/, '');
    try {
      await this.client.createPersistentSubscriptionToAll(
        durableName,
        persistentSubscriptionToAllSettingsFromDefaults({ startFrom: START, maxRetryCount: Number.isFinite(maxDeliver) ? maxDeliver - 1 : 2 ** 31 - 1 }),
        { filter: streamNameFilter({ prefixes: [prefix] }) },
      );
    } catch (err) {
      if (!(err instanceof PersistentSubscriptionExistsError)) throw err;
    }
    const stream = this.client.subscribeToPersistentSubscriptionToAll(durableName);
    const delivering = (async () => {
      for await (const resolved of stream) await this.deliver(stream, resolved, durableName, handler, maxDeliver);
    })();
    return this.subscriptions.track(delivering, () => stream.unsubscribe());
  }

  async close(): Promise<void> {
    await this.subscriptions.stopAll();
    await this.client.dispose();
  }

  private async deliver(
    stream: ReturnType<EventStoreDBClient['subscribeToPersistentSubscriptionToAll']>,
    resolved: PersistentSubscriptionToAllResolvedEvent,
    consumer: string,
    handler: EventHandler,
    maxDeliver: number,
  ) {
    if (!resolved.event) return stream.ack(resolved);
    try {
      await handler(this.decode(resolved.event));
      await stream.ack(resolved);
    } catch (err) {
      if (err instanceof RedeliverLater) {
        // EventStoreDB retries at once: hold the nack back instead, without holding up the next events.
        setTimeout(() => void stream.nack(RETRY, err.message, resolved).catch(() => undefined), err.delayMs).unref();
        return;
      }
      const attempts = resolved.retryCount + 1;
      const reason = err instanceof Error ? err.message : String(err);
      if (attempts < maxDeliver) return stream.nack(RETRY, reason, resolved);
      await this.deadLetter(consumer, resolved.event, attempts, reason);
      await stream.nack(PARK, `dead-lettered after ${attempts} attempts: ${reason}`, resolved);
    }
  }

  private async deadLetter(consumer: string, event: { id: string; type: string; streamId: string }, attempts: number, error: string) {
    const letter = deadLetterEnvelope({
      consumer,
      eventId: event.id,
      eventType: event.type,
      subject: event.streamId,
      attempts,
      error,
      correlationId: event.id,
    });
    await this.append(deadLetterStream(consumer), [letter], 'any');
  }

  private decode(recorded: { id: string; type: string; streamId: string; revision: bigint; data: unknown; metadata: unknown }): StoredEvent {
    const stream = parseEventSubject(recorded.streamId);
    if (!stream) throw new Error(`Stream ${recorded.streamId} is not a Slipway event stream`);
    const metadata = recorded.metadata as EnvelopeMetadata;
    const { version, data } = this.registry.upcast(recorded.type, metadata.version, recorded.data as Record<string, unknown>);
    return {
      ...metadata,
      id: recorded.id,
      type: recorded.type,
      version,
      data,
      stream,
      streamVersion: Number(recorded.revision) + 1,
      batchIndex: 0,
    };
  }
}
