import { z } from 'zod';

/** Who caused a change: a person, an API token, a Slipway service, or the platform itself. */
export const actorSchema = z.object({
  kind: z.enum(['user', 'token', 'service', 'system']),
  id: z.string().min(1),
});
export type Actor = z.infer<typeof actorSchema>;

/**
 * The envelope every domain event travels in (headers + JSON body on NATS). `data` is checked
 * against the schema of `type`@`version` by the event registry, not here.
 */
export const eventEnvelopeSchema = z.object({
  id: z.uuid(),
  type: z.string().regex(/^[A-Z][A-Za-z]+$/, 'event type must be PascalCase'),
  version: z.number().int().min(1),
  aggregateId: z.string().min(1),
  occurredAt: z.iso.datetime(),
  /** One per user action, carried through every event that follows from it. */
  correlationId: z.string().min(1),
  /** The command or event that directly caused this one. */
  causationId: z.string().min(1),
  actor: actorSchema,
  data: z.record(z.string(), z.unknown()),
});
export type EventEnvelope<Data = Record<string, unknown>> = Omit<
  z.infer<typeof eventEnvelopeSchema>,
  'data'
> & { data: Data };
