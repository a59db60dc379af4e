import type { StoredEvent } from '@slipway/event-store';
import { servicesProjection } from './projects.projection';

describe('services view', () => {
  it('never carries a credential, only that there is one', () => {
    const created = {
      id: 'e1',
      type: 'ServiceCreated',
      version: 1,
      aggregateId: 'p_1',
      occurredAt: '2026-11-28T10:00:00.000Z',
      correlationId: 'c',
      causationId: 'c',
      actor: { kind: 'user', id: 'u' },
      stream: { context: 'project', aggregate: 'project', id: 'p_1' },
      streamVersion: 2,
      batchIndex: 0,
      data: {
        projectId: 'p_1',
        serviceId: 's_1',
        name: 'web',
        spec: {
          source: { kind: 'git', url: 'https://git.example/shop.git', ref: 'main', credentials: { kind: 'token', token: { alg: 'aes-256-gcm', iv: 'i', tag: 't', data: 'SECRETCIPHERTEXT' } } },
          port: 3000,
          env: [],
          replicas: 2,
          resources: { cpu: 0.5, memoryMb: 256 },
          healthCheck: { kind: 'http', path: '/healthz' },
          domains: [],
          build: { dockerfilePath: 'Dockerfile' },
          security: { readOnlyRootFilesystem: false },
        },
      },
    } as StoredEvent;
    const view = servicesProjection.evolve(null, created);
    expect(view).toMatchObject({ id: 's_1', name: 'web', port: 3000, replicas: 2, healthCheckPath: '/healthz', source: { kind: 'git', hasCredentials: true } });
    expect(JSON.stringify(view)).not.toContain('SECRETCIPHERTEXT');
  });
});
