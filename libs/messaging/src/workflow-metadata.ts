import { deriveEventId, type StoredEvent } from '@slipway/event-store';
import type { CommandMetadata } from '@slipway/proto';

/**
 * Metadata for a command a workflow issues in reaction to an event: derived from the event, so a
 * redelivered event issues the very same command (same ids, deduplicated), carrying the user
 * action's correlation id and the event as its cause.
 */
export const workflowMetadata = (consumer: string, event: StoredEvent, service: string, index = 0): CommandMetadata => ({
  commandId: deriveEventId(`${consumer}/${event.id}`, index),
  correlationId: event.correlationId,
  causationId: event.id,
  actor: { kind: 'service', id: service },
  now: new Date().toISOString(),
});
