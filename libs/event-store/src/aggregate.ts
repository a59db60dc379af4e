import type { CommandMetadata } from '@slipway/proto';
import { handleCommand, type HandledCommand } from './command-handler';
import type { Decider, DomainEvent } from './decider';
import type { EventStore, StreamId, StreamVersion } from './event-store.port';

/** A decider bound to its stream once: call sites name the aggregate's id, never its subject. */
export interface Aggregate<Command, Event extends DomainEvent, State> {
  stream(id: string): StreamId;
  /** The aggregate's state now, folded by its decider (for runners that ask rather than scan events). */
  load(store: EventStore, id: string): Promise<{ state: State; version: StreamVersion }>;
  handle(store: EventStore, id: string, command: Command, metadata: CommandMetadata): Promise<HandledCommand<Event>>;
}

export const aggregate = <Command, Event extends DomainEvent, State>(definition: {
  decider: Decider<Command, Event, State>;
  stream: (id: string) => StreamId;
}): Aggregate<Command, Event, State> => {
  const { decider, stream } = definition;
  return {
    stream,
    async load(store, id) {
      const { events, version } = await store.read(stream(id));
      return { state: events.reduce((s, e) => decider.evolve(s, e as unknown as Event), decider.initialState), version };
    },
    handle: (store, id, command, metadata) => handleCommand({ store, stream: stream(id), decider, command, metadata }),
  };
};
