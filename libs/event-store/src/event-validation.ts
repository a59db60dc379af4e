import { eventEnvelopeSchema, describeZodError, InvalidEventPayload, type EventEnvelope, type EventSchemaRegistry } from '@slipway/proto';
import { InvalidAppend, streamLabel } from './event-store.errors';
import type { StreamId } from './event-store.port';

/**
 * Checks a batch before any adapter writes it: the envelope, the payload against its schema
 * (the error names the failing field), and that every event belongs to the stream.
 */
export const validateAppend = (registry: EventSchemaRegistry, stream: StreamId, events: EventEnvelope[]): EventEnvelope[] => {
  if (events.length === 0) throw new InvalidAppend(`Nothing to append to ${streamLabel(stream)}`);
  return events.map((event) => {
    const envelope = eventEnvelopeSchema.safeParse(event);
    if (!envelope.success) {
      const { field, problem } = describeZodError(envelope.error);
      throw new InvalidEventPayload(String(event?.type ?? 'event'), `envelope.${field}`, problem);
    }
    if (event.aggregateId !== stream.id) {
      throw new InvalidAppend(`${event.type} ${event.id} is for aggregate ${event.aggregateId}, not ${streamLabel(stream)}`);
    }
    return { ...event, data: registry.validate(event.type, event.version, event.data) };
  });
};
