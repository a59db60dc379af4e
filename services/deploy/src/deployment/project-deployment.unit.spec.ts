import { exampleServiceSpec } from '@slipway/testing';
import { cascadeTargets, derivedDeploymentId, planProjectDeployment } from './project-deployment';
import type { CatalogProject } from './service-catalog';

const service = (name: string, dependsOn: string[] = [], stopped = false) => ({
  name,
  names: [name],
  spec: exampleServiceSpec({ dependsOn }),
  env: new Map(),
  stopped,
});
const project = (services: Record<string, ReturnType<typeof service>>, extra: Partial<CatalogProject> = {}): CatalogProject => ({
  name: 'shop',
  env: new Map(),
  services: new Map(Object.entries(services)),
  ...extra,
});
const id = (serviceId: string) => derivedDeploymentId('cmd_1', serviceId);

describe('planProjectDeployment', () => {
  const shop = project({ s_web: service('web', ['s_api']), s_db: service('db'), s_api: service('api', ['s_db']), s_cron: service('cron') });

  it('makes each deployment wait for its dependencies and name who waits for it; waiting ones first', () => {
    const plan = planProjectDeployment(shop, 'p_1', 'cmd_1');
    expect(plan.map((p) => p.serviceId)).toEqual(['s_web', 's_api', 's_db', 's_cron']);
    expect(plan.find((p) => p.serviceId === 's_api')).toEqual({
      serviceId: 's_api',
      deploymentId: id('s_api'),
      waitsFor: [{ deploymentId: id('s_db'), serviceId: 's_db', serviceName: 'db' }],
      dependents: [id('s_web')],
    });
    expect(plan.find((p) => p.serviceId === 's_cron')).toMatchObject({ waitsFor: [], dependents: [] });
  });

  it('derives the same ids from the same command, so a redelivery asks for the same deployments', () => {
    expect(planProjectDeployment(shop, 'p_1', 'cmd_1')).toEqual(planProjectDeployment(shop, 'p_1', 'cmd_1'));
    expect(id('s_api')).toMatch(/^d_[0-9a-f]{26}$/);
  });

  it('leaves stopped services out, and does not wait for them', () => {
    const plan = planProjectDeployment(project({ s_db: service('db', [], true), s_api: service('api', ['s_db']) }), 'p_1', 'cmd_1');
    expect(plan).toEqual([{ serviceId: 's_api', deploymentId: id('s_api'), waitsFor: [], dependents: [] }]);
  });

  it('refuses a project with nothing to deploy, or none at all', () => {
    expect(() => planProjectDeployment(project({ s_db: service('db', [], true) }), 'p_1', 'c')).toThrow('Project shop has no running service to deploy');
    expect(() => planProjectDeployment(project({}, { deleted: true }), 'p_1', 'c')).toThrow('Project shop was deleted');
    expect(() => planProjectDeployment({ env: new Map(), services: new Map() }, 'p_9', 'c')).toThrow('No project p_9');
  });
});

describe('cascadeTargets', () => {
  it('names the running services that depend on the one deployed', () => {
    const shop = project({ s_db: service('db'), s_api: service('api', ['s_db']), s_job: service('job', ['s_db'], true), s_web: service('web', ['s_api']) });
    expect(cascadeTargets(shop, 's_db')).toEqual(['s_api']);
    expect(cascadeTargets(shop, 's_web')).toEqual([]);
  });
});
