import type { StoredEvent } from '@slipway/event-store';
import { contexts } from '@slipway/proto';
import type { Projection } from '../read-models/projection';

/** One entry per event: who did what, when, to which aggregate. Payloads stay out (they may hold sealed secrets). */
export interface AuditEntry {
  id: string;
  at: string;
  type: string;
  actor: { kind: string; id: string };
  context: string;
  aggregate: string;
  aggregateId: string;
  correlationId: string;
  projectId: string | null;
  serviceId: string | null;
  deploymentId: string | null;
}

const idOf = (e: StoredEvent, key: string) => (typeof e.data[key] === 'string' ? (e.data[key] as string) : null);

export const auditLogProjection: Projection<AuditEntry> = {
  name: 'audit-log',
  collection: 'audit_log',
  sources: contexts.map((context) => ({ context })),
  types: 'all',
  documentId: (e) => e.id,
  evolve: (current, e) =>
    current ?? {
      id: e.id,
      at: e.occurredAt,
      type: e.type,
      actor: e.actor,
      context: e.stream.context,
      aggregate: e.stream.aggregate,
      aggregateId: e.aggregateId,
      correlationId: e.correlationId,
      projectId: idOf(e, 'projectId'),
      serviceId: idOf(e, 'serviceId'),
      deploymentId: idOf(e, 'deploymentId') ?? (e.stream.aggregate === 'build' ? e.aggregateId : null),
    },
};
