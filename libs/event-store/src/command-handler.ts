import { eventRegistry, type CommandMetadata, type EventEnvelope, type EventSchemaRegistry } from '@slipway/proto';
import type { Decider, DomainEvent } from './decider';
import { deriveEventId } from './event-ids';
import { WrongExpectedVersion } from './event-store.errors';
import type { EventStore, StreamId, StreamVersion } from './event-store.port';

export interface HandledCommand<Event extends DomainEvent> {
  events: Event[];
  version: StreamVersion;
  /** How many times the decision was taken (more than 1 after concurrency conflicts). */
  attempts: number;
}

/** Wraps a decider's events in envelopes whose ids derive from the command id (idempotent appends). */
export const toEnvelopes = (
  stream: StreamId,
  events: DomainEvent[],
  metadata: CommandMetadata,
  registry: EventSchemaRegistry = eventRegistry,
): EventEnvelope[] =>
  events.map((event, index) => ({
    id: deriveEventId(metadata.commandId, index),
    type: event.type,
    version: registry.latestVersion(event.type),
    aggregateId: stream.id,
    occurredAt: metadata.now,
    correlationId: metadata.correlationId,
    causationId: metadata.causationId ?? metadata.commandId,
    actor: metadata.actor,
    data: event.data as Record<string, unknown>,
  }));

/**
 * Read, fold, decide, append with the expected version. On a concurrency conflict the stream is
 * read again and the decision taken again, up to `maxAttempts` times.
 */
export const handleCommand = async <Command, Event extends DomainEvent, State>(args: {
  store: EventStore;
  stream: StreamId;
  decider: Decider<Command, Event, State>;
  command: Command;
  metadata: CommandMetadata;
  maxAttempts?: number;
}): Promise<HandledCommand<Event>> => {
  const { store, stream, decider, command, metadata, maxAttempts = 5 } = args;
  for (let attempt = 1; ; attempt++) {
    const { events: history, version } = await store.read(stream);
    const state = history.reduce((s, e) => decider.evolve(s, e as unknown as Event), decider.initialState);
    const events = decider.decide(command, state);
    if (events.length === 0) return { events, version, attempts: attempt };
    try {
      const appended = await store.append(stream, toEnvelopes(stream, events, metadata), version);
      return { events, version: appended.version, attempts: attempt };
    } catch (err) {
      if (!(err instanceof WrongExpectedVersion) || attempt >= maxAttempts) throw err;
      // Jitter, so writers that collided do not collide again in lockstep.
      await new Promise((r) => setTimeout(r, Math.random() * 10 * attempt));
    }
  }
};
