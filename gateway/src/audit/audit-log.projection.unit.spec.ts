import type { StoredEvent } from '@slipway/event-store';
import { auditLogProjection } from './audit-log.projection';

describe('audit log', () => {
  it('records who did what, when, without the payload', () => {
    const event = {
      id: 'e1',
      type: 'ServiceCreated',
      version: 1,
      aggregateId: 'p_1',
      occurredAt: '2026-11-28T10:00:00.000Z',
      correlationId: 'c1',
      causationId: 'cmd1',
      actor: { kind: 'user', id: 'u_ann' },
      data: { projectId: 'p_1', serviceId: 's_1', spec: { source: { credentials: { token: { data: 'SEALED' } } } } },
      stream: { context: 'project', aggregate: 'project', id: 'p_1' },
      streamVersion: 3,
      batchIndex: 0,
    } as unknown as StoredEvent;
    const entry = auditLogProjection.evolve(null, event);
    expect(entry).toEqual({
      id: 'e1',
      at: '2026-11-28T10:00:00.000Z',
      type: 'ServiceCreated',
      actor: { kind: 'user', id: 'u_ann' },
      context: 'project',
      aggregate: 'project',
      aggregateId: 'p_1',
      correlationId: 'c1',
      projectId: 'p_1',
      serviceId: 's_1',
      deploymentId: null,
    });
    expect(JSON.stringify(entry)).not.toContain('SEALED');
    expect(auditLogProjection.evolve(entry, event)).toBe(entry);
  });
});
