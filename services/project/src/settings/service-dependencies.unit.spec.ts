import { deciderSpec, exampleServiceSpec } from '@slipway/testing';
import { serviceLifecycleDecider } from '../lifecycle/service-lifecycle.decider';
import { projectDecider } from '../project/project.decider';
import { serviceSettingsDecider } from './service-settings.decider';
import type { SourcePolicy } from './source-rules';

const now = '2026-11-30T10:00:00.000Z';
const sourcePolicy: SourcePolicy = { callerStanding: 'member', allowedHttpGitHosts: [] };
const projectCreated = { type: 'ProjectCreated' as const, data: { projectId: 'p_1', name: 'shop', createdAt: now } };
const service = (serviceId: string, name: string, dependsOn?: string[]) => ({
  type: 'ServiceCreated' as const,
  data: { projectId: 'p_1', serviceId, name, spec: exampleServiceSpec(dependsOn ? { dependsOn } : {}) },
});
const db = service('s_db', 'db');
const api = service('s_api', 'api', ['s_db']);
const web = service('s_web', 'web', ['s_api']);
const history = [projectCreated, db, api, web];

describe('dependencies at createService', () => {
  const { given } = deciderSpec(projectDecider);
  const create = (dependsOn: string[]) => ({
    type: 'CreateService' as const,
    data: { projectId: 'p_1', serviceId: 's_new', name: 'worker', spec: exampleServiceSpec({ dependsOn }) },
    platformDomain: 'localhost',
    sourcePolicy,
  });

  it('records the services it depends on, once each', () => {
    given([projectCreated, db, api])
      .when(create(['s_db', 's_api', 's_db']))
      .then([{ type: 'ServiceCreated', data: { projectId: 'p_1', serviceId: 's_new', name: 'worker', spec: exampleServiceSpec({ dependsOn: ['s_db', 's_api'] }) } }]);
  });

  it('refuses a service of another project (or none at all), naming the project', () => {
    given([projectCreated, db]).when(create(['s_elsewhere'])).thenThrows('Service worker cannot depend on s_elsewhere: project shop has no such service');
  });
});

describe('dependencies at updateService', () => {
  const { given } = deciderSpec(serviceSettingsDecider);
  const update = (serviceId: string, settings: object) => ({ type: 'UpdateServiceSettings' as const, data: { projectId: 'p_1', serviceId, settings }, sourcePolicy });

  it('records the new list and the cascade choice, only when they change', () => {
    given(history)
      .when(update('s_web', { dependsOn: ['s_api', 's_db'], redeployDependents: true }))
      .then([{ type: 'ServiceSettingsChanged', data: { projectId: 'p_1', serviceId: 's_web', settings: { dependsOn: ['s_api', 's_db'], redeployDependents: true } } }]);
    given(history).when(update('s_web', { dependsOn: ['s_api'], redeployDependents: false })).then([]);
    given(history)
      .when(update('s_web', { dependsOn: [] }))
      .then([{ type: 'ServiceSettingsChanged', data: { projectId: 'p_1', serviceId: 's_web', settings: { dependsOn: [] } } }]);
  });

  it('refuses a cycle, naming it service by service', () => {
    given(history)
      .when(update('s_db', { dependsOn: ['s_web'] }))
      .thenThrows('Service db cannot depend on those services: they would wait for each other in a cycle (db → web → api → db)');
  });

  it('refuses itself and unknown services', () => {
    given(history).when(update('s_api', { dependsOn: ['s_api'] })).thenThrows('Service api cannot depend on itself');
    given(history).when(update('s_api', { dependsOn: ['s_x'] })).thenThrows('Service api cannot depend on s_x: project shop has no such service');
  });
});

describe('deleting a service others depend on', () => {
  const { given } = deciderSpec(serviceLifecycleDecider);
  const remove = (serviceId: string) => ({ type: 'DeleteService' as const, data: { projectId: 'p_1', serviceId, deleteVolumes: false }, now });

  it('is refused, naming the dependents', () => {
    const worker = service('s_worker', 'worker', ['s_db']);
    given([...history, worker]).when(remove('s_db')).thenThrows('Service db cannot be deleted: api, worker depend on it. Remove it from their dependencies first, or delete the project');
  });

  it('is allowed once no service depends on it any more', () => {
    const dropped = { type: 'ServiceSettingsChanged' as const, data: { projectId: 'p_1', serviceId: 's_web', settings: { dependsOn: [] } } };
    const [event] = serviceLifecycleDecider.decide(remove('s_api'), [...history, dropped].reduce(serviceLifecycleDecider.evolve, serviceLifecycleDecider.initialState));
    expect(event).toMatchObject({ type: 'ServiceDeleted', data: { serviceId: 's_api', name: 'api' } });
  });

  it('deleting the whole project takes its dependencies with it', () => {
    const events = serviceLifecycleDecider.decide(
      { type: 'DeleteProject', data: { projectId: 'p_1', deleteVolumes: false }, now },
      history.reduce(serviceLifecycleDecider.evolve, serviceLifecycleDecider.initialState),
    );
    expect(events.map((e) => e.type)).toEqual(['ServiceDeleted', 'ServiceDeleted', 'ServiceDeleted', 'ProjectDeleted']);
  });
});
