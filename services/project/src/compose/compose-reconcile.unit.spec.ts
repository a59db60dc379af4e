import { ComposeServicePlan } from './compose-plan';
import { reconcileCompose } from './compose-reconcile';

const plan = (name: string, overrides: Partial<ComposeServicePlan> = {}): ComposeServicePlan => ({
  name,
  source: { kind: 'image', ref: `${name}:1` },
  environment: [],
  envFiles: [],
  dependencies: [],
  volumes: [],
  replicas: 1,
  resources: {},
  ...overrides,
});

describe('reconcileCompose: what a new reading of the file changes', () => {
  it('adds, changes and removes services, and says what changed', () => {
    const previous = [plan('web'), plan('api', { replicas: 1 }), plan('old')];
    const next = [plan('web'), plan('api', { replicas: 3, source: { kind: 'image', ref: 'api:2' } }), plan('worker')];
    const result = reconcileCompose(previous, next);
    expect(result.added.map((p) => p.name)).toEqual(['worker']);
    expect(result.removed.map((p) => p.name)).toEqual(['old']);
    expect(result.unchanged).toEqual(['web']);
    expect(result.changed).toEqual([
      {
        name: 'api',
        plan: next[1],
        changes: [
          { field: 'source', before: { kind: 'image', ref: 'api:1' }, after: { kind: 'image', ref: 'api:2' } },
          { field: 'replicas', before: 1, after: 3 },
        ],
      },
    ]);
  });

  it('ignores order that means nothing, and the wording of the port’s reason', () => {
    const before = plan('api', {
      environment: [{ key: 'A', value: '1' }, { key: 'B', value: '2' }],
      dependencies: [{ service: 'db', condition: 'service_healthy', required: true, restart: false }, { service: 'cache', condition: 'service_started', required: true, restart: false }],
      port: { container: 80, from: 'ports', reason: 'the first container port under ports: 8080:80' },
      resources: { cpu: 1, memoryMb: 512 },
    });
    const after = plan('api', {
      environment: [{ key: 'B', value: '2' }, { key: 'A', value: '1' }],
      dependencies: [...before.dependencies].reverse(),
      port: { container: 80, from: 'ports', reason: 'the first container port under ports: 9090:80' },
      resources: { memoryMb: 512, cpu: 1 },
    });
    expect(reconcileCompose([before], [after])).toEqual({ added: [], changed: [], removed: [], unchanged: ['api'] });
  });

  it('sees a changed dependency condition, health check, command and volume', () => {
    const before = plan('api', { dependencies: [{ service: 'db', condition: 'service_started', required: true, restart: false }] });
    const after = plan('api', {
      dependencies: [{ service: 'db', condition: 'service_healthy', required: true, restart: false }],
      healthCheck: { kind: 'none' },
      command: ['node', 'server.js'],
      volumes: [{ volume: 'data', mountPath: '/data', readOnly: false }],
    });
    expect(reconcileCompose([before], [after]).changed[0].changes.map((c) => c.field)).toEqual(['command', 'dependencies', 'healthCheck', 'volumes']);
  });

  it('treats a renamed service as one removed and one added, as Compose does', () => {
    const result = reconcileCompose([plan('db')], [plan('postgres')]);
    expect([result.added.map((p) => p.name), result.removed.map((p) => p.name)]).toEqual([['postgres'], ['db']]);
  });
});
