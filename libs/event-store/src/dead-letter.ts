import { EventDeadLettered, type EventEnvelope } from '@slipway/proto';
import { deriveEventId } from './event-ids';
import type { StreamId } from './event-store.port';

/** Where a consumer's dead letters go: platform.system.events.dead-letter.<consumer>. */
export const deadLetterStream = (consumer: string): StreamId => ({ context: 'system', aggregate: 'dead-letter', id: consumer });

/**
 * The dead-letter record of an event a consumer gave up on. Its id derives from the consumer and
 * the event, so recording it twice (a crash after the append) stores it once.
 */
export const deadLetterEnvelope = (letter: {
  consumer: string;
  eventId: string;
  eventType: string;
  subject: string;
  attempts: number;
  error: string;
  correlationId: string;
}): EventEnvelope => ({
  id: deriveEventId(`${letter.consumer}/${letter.eventId}`, 0),
  type: EventDeadLettered.type,
  version: EventDeadLettered.latestVersion,
  aggregateId: letter.consumer,
  occurredAt: new Date().toISOString(),
  correlationId: letter.correlationId,
  causationId: letter.eventId,
  actor: { kind: 'service', id: letter.consumer },
  data: {
    consumer: letter.consumer,
    eventId: letter.eventId,
    eventType: letter.eventType,
    subject: letter.subject,
    attempts: letter.attempts,
    error: letter.error,
  },
});
