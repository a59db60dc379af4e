import { z } from 'zod';
import { defineEvent } from '../event-definition';

/**
 * The dead-letter record: a consumer gave up on an event after its last try. Kept as an event of
 * its own so an operator sees it in the audit trail and can replay it after a fix.
 */
export const EventDeadLettered = defineEvent(
  'EventDeadLettered',
  { context: 'system', aggregate: 'dead-letter' },
  z.object({
    consumer: z.string().min(1),
    eventId: z.string().min(1),
    eventType: z.string().min(1),
    subject: z.string().min(1),
    attempts: z.number().int().min(1),
    error: z.string(),
  }),
);

export const systemEvents = [EventDeadLettered] as const;
