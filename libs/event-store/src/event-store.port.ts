import type { Context, EventEnvelope } from '@slipway/proto';

/** An event stream: one aggregate instance (one NATS subject, one EventStoreDB stream). */
export interface StreamId {
  context: Context;
  aggregate: string;
  id: string;
}

/**
 * A stream's version is opaque: 0 means "no events yet"; any other value comes from `read` or
 * `append` and is only ever handed back as `expectedVersion`. (JetStream: the last subject
 * sequence; EventStoreDB: revision + 1.)
 */
export type StreamVersion = number;
export type ExpectedVersion = StreamVersion | 'any';

/** An event as read back: upcast to the latest version of its type. */
export interface StoredEvent extends EventEnvelope {
  /** The stream version right after this event's append (shared by the events of one append). */
  streamVersion: StreamVersion;
  /** The event's place within its append: with streamVersion, a position that only grows. */
  batchIndex: number;
  stream: StreamId;
}

export interface AppendResult {
  version: StreamVersion;
  /**
   * True when these event ids had already been appended, so nothing was written twice. Only stores
   * that can tell report it (JetStream does; EventStoreDB acknowledges a replay silently).
   */
  duplicate?: boolean;
}

export interface EventFilter {
  context: Context;
  aggregate?: string;
}

export interface SubscribeOptions {
  /** Deliveries before the event is dead-lettered (default 5; `Infinity`: never, for handlers that watch a deadline). */
  maxDeliver?: number;
  /** First retry delay; doubles on each try (default 200 ms). */
  retryDelayMs?: number;
  /**
   * How long a handler may be silent before its event is redelivered (default 30 s). A handler
   * that is still running keeps its event (the adapter says so every third of this), so a long
   * build keeps a short ack wait, and a crashed one is handed out again within it.
   */
  ackWaitMs?: number;
}

export type EventHandler = (event: StoredEvent) => Promise<void>;

export interface Subscription {
  stop(): Promise<void>;
}

/**
 * The event store port. Every adapter is held to the same contract suite
 * (event-store.contract.ts): atomic, idempotent, optimistic appends; ordered reads; durable
 * at-least-once subscriptions with bounded redelivery and a dead-letter record.
 */
export interface EventStore {
  /** All of `events` or none; rejects with WrongExpectedVersion when the stream moved on. */
  append(stream: StreamId, events: EventEnvelope[], expectedVersion: ExpectedVersion): Promise<AppendResult>;
  read(stream: StreamId): Promise<{ events: StoredEvent[]; version: StreamVersion }>;
  /** Every event of a context (or of one aggregate type in it), in append order: for small state rebuilt on start. */
  readAll(filter: EventFilter): Promise<StoredEvent[]>;
  /** Durable: resumes from the last acknowledged event after restarts, of the client or the server. */
  subscribe(durableName: string, filter: EventFilter, handler: EventHandler, options?: SubscribeOptions): Promise<Subscription>;
  close(): Promise<void>;
}
