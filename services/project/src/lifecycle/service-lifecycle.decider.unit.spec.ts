import { deciderSpec, exampleServiceSpec } from '@slipway/testing';
import { serviceLifecycleDecider, type LifecycleEvent } from './service-lifecycle.decider';

const now = '2026-12-01T10:00:00.000Z';
const ids = { projectId: 'p_1', serviceId: 's_1' };
const created: LifecycleEvent = { type: 'ProjectCreated', data: { projectId: 'p_1', name: 'shop', createdAt: now } };
const web: LifecycleEvent = { type: 'ServiceCreated', data: { ...ids, name: 'web', spec: exampleServiceSpec({ replicas: 2, domains: ['shop.example.com'] }) } };
const api: LifecycleEvent = { type: 'ServiceCreated', data: { projectId: 'p_1', serviceId: 's_2', name: 'api', spec: exampleServiceSpec() } };
const stopped: LifecycleEvent = { type: 'ServiceStopped', data: { ...ids, stoppedAt: now } };
const { given } = deciderSpec(serviceLifecycleDecider);

describe('service lifecycle', () => {
  it('stops a running service once, and starts it again with its replicas', () => {
    given([created, web]).when({ type: 'StopService', data: ids, now }).then([stopped]);
    given([created, web, stopped]).when({ type: 'StopService', data: ids, now }).then([]);
    given([created, web, stopped]).when({ type: 'StartService', data: ids, now }).then([{ type: 'ServiceStarted', data: { ...ids, replicas: 2, startedAt: now } }]);
    given([created, web]).when({ type: 'StartService', data: ids, now }).then([]);
  });

  it('restarts a running service every time it is asked, and refuses a stopped one', () => {
    given([created, web]).when({ type: 'RestartService', data: ids, now }).then([{ type: 'ServiceRestarted', data: { ...ids, requestedAt: now } }]);
    given([created, web, stopped]).when({ type: 'RestartService', data: ids, now }).thenThrows('Service web is stopped: start it instead of restarting it');
  });

  it('scales to a new number, remembers it while stopped, and starts with it', () => {
    const scaled: LifecycleEvent = { type: 'ServiceScaled', data: { ...ids, replicas: 4, previousReplicas: 2 } };
    given([created, web]).when({ type: 'ScaleService', data: { ...ids, replicas: 4 } }).then([scaled]);
    given([created, web, scaled]).when({ type: 'ScaleService', data: { ...ids, replicas: 4 } }).then([]);
    given([created, web, stopped, scaled]).when({ type: 'StartService', data: ids, now }).then([{ type: 'ServiceStarted', data: { ...ids, replicas: 4, startedAt: now } }]);
  });

  it('counts replicas changed through the settings too', () => {
    const changed: LifecycleEvent = { type: 'ServiceSettingsChanged', data: { ...ids, settings: { replicas: 3 } } };
    given([created, web, changed]).when({ type: 'ScaleService', data: { ...ids, replicas: 3 } }).then([]);
  });

  it('deletes a service with its domains named, once; what is deleted takes no more commands', () => {
    const deleted: LifecycleEvent = {
      type: 'ServiceDeleted',
      data: { ...ids, name: 'web', projectName: 'shop', domains: ['shop.example.com'], deleteVolumes: true, deletedAt: now },
    };
    given([created, web]).when({ type: 'DeleteService', data: { ...ids, deleteVolumes: true }, now }).then([deleted]);
    given([created, web, deleted]).when({ type: 'DeleteService', data: { ...ids, deleteVolumes: true }, now }).then([]);
    given([created, web, deleted]).when({ type: 'StopService', data: ids, now }).thenThrows('Service s_1 was deleted');
    given([created]).when({ type: 'StopService', data: ids, now }).thenThrows('Project shop has no service s_1');
  });

  it('deletes a project with every service in it, and its name goes with the last event', () => {
    const renamed: LifecycleEvent = { type: 'ServiceRenamed', data: { ...ids, name: 'front', previousName: 'web' } };
    given([created, web, api, renamed])
      .when({ type: 'DeleteProject', data: { projectId: 'p_1', deleteVolumes: false }, now })
      .then([
        { type: 'ServiceDeleted', data: { ...ids, name: 'front', projectName: 'shop', domains: ['shop.example.com'], deleteVolumes: false, deletedAt: now } },
        { type: 'ServiceDeleted', data: { projectId: 'p_1', serviceId: 's_2', name: 'api', projectName: 'shop', domains: [], deleteVolumes: false, deletedAt: now } },
        { type: 'ProjectDeleted', data: { projectId: 'p_1', name: 'shop', serviceIds: ['s_1', 's_2'], deleteVolumes: false, deletedAt: now } },
      ]);
    const gone: LifecycleEvent = { type: 'ProjectDeleted', data: { projectId: 'p_1', name: 'shop', serviceIds: [], deleteVolumes: false, deletedAt: now } };
    given([created, gone]).when({ type: 'DeleteProject', data: { projectId: 'p_1', deleteVolumes: false }, now }).then([]);
    given([created, web, gone]).when({ type: 'ScaleService', data: { ...ids, replicas: 2 } }).thenThrows('Project shop was deleted');
    given([]).when({ type: 'DeleteProject', data: { projectId: 'p_9', deleteVolumes: false }, now }).thenThrows('No project p_9');
  });
});

describe('the rest of the project stream', () => {
  it('changes nothing of the lifecycle (env vars, sources, domains … pass through)', () => {
    const source: LifecycleEvent = { type: 'ServiceSourceChanged', data: { ...ids, source: { kind: 'image', ref: 'nginx:1' } } } as never;
    given([created, web, source]).when({ type: 'StopService', data: ids, now }).then([stopped]);
  });
});
