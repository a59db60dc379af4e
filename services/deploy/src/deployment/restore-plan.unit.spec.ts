import { exampleServiceSpec } from '@slipway/testing';
import type { KnownDeployment, PlatformState } from '../cleanup/platform-state';
import type { CatalogProject } from './service-catalog';
import { servicesToRestore } from './restore-plan';

const service = (name: string, stopped = false) => ({ name, names: [name], spec: exampleServiceSpec(), env: new Map(), stopped });
const project = (name: string, services: Record<string, ReturnType<typeof service>>, deleted = false): CatalogProject => ({
  name,
  env: new Map(),
  services: new Map(Object.entries(services)),
  ...(deleted ? { deleted } : {}),
});
const deployment = (id: string, projectId: string, serviceId: string, endedAt: string, more: Partial<KnownDeployment> = {}): KnownDeployment => ({
  deploymentId: id,
  projectId,
  serviceId,
  imageRef: `reg/${serviceId}:${id}`,
  status: 'succeeded',
  endedAt,
  ...more,
});

describe('servicesToRestore', () => {
  const state: PlatformState = {
    projects: new Map([
      ['p_shop', project('shop', { s_web: service('web'), s_db: service('db'), s_stopped: service('stopped', true), s_never: service('never') })],
      ['p_gone', project('gone', { s_a: service('a') }, true)],
    ]),
    previews: new Map(),
    deployments: [
      deployment('d1', 'p_shop', 's_web', '2026-11-01T00:00:00.000Z'),
      deployment('d2', 'p_shop', 's_web', '2026-11-03T00:00:00.000Z'),
      deployment('d3', 'p_shop', 's_web', '2026-11-04T00:00:00.000Z', { status: 'failed' }),
      deployment('d4', 'p_shop', 's_web', '2026-11-05T00:00:00.000Z', { previewId: 'p_shop-pr-1' }),
      deployment('d5', 'p_shop', 's_db', '2026-11-02T00:00:00.000Z'),
      deployment('d6', 'p_shop', 's_stopped', '2026-11-02T00:00:00.000Z'),
      deployment('d7', 'p_shop', 's_never', '2026-11-02T00:00:00.000Z', { status: 'unfinished', imageRef: undefined }),
      deployment('d8', 'p_gone', 's_a', '2026-11-02T00:00:00.000Z'),
      deployment('d9', 'p_shop', 's_deleted', '2026-11-02T00:00:00.000Z'),
    ],
  };

  it('returns each running service of a live project with the image of its last successful deployment', () => {
    expect(servicesToRestore(state)).toEqual([
      { projectId: 'p_shop', serviceId: 's_web', deploymentId: 'd2', imageRef: 'reg/s_web:d2' },
      { projectId: 'p_shop', serviceId: 's_db', deploymentId: 'd5', imageRef: 'reg/s_db:d5' },
    ]);
  });

  it('leaves out stopped and deleted services, deleted projects, previews, failures and services that never ran', () => {
    const ids = servicesToRestore(state).map((s) => s.serviceId);
    for (const left of ['s_stopped', 's_never', 's_a', 's_deleted']) expect(ids).not.toContain(left);
    expect(servicesToRestore(state).map((s) => s.deploymentId)).not.toContain('d4');
  });
});
