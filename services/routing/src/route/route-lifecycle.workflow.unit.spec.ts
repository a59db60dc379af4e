import { workflowSpec } from '@slipway/testing';
import { routeOnServiceLifecycle } from './route-lifecycle.workflow';

const ids = { projectId: 'p_1', serviceId: 's_1' };
const at = '2026-12-01T10:00:00.000Z';

describe('route on service lifecycle', () => {
  it('suspends the route of a stopped service, resumes it when started, removes it when deleted', () => {
    workflowSpec(routeOnServiceLifecycle).when({ type: 'ServiceStopped', data: { ...ids, stoppedAt: at } }).then([{ type: 'SuspendRoute', data: { routeId: 's_1', since: at } }]);
    workflowSpec(routeOnServiceLifecycle).when({ type: 'ServiceStarted', data: { ...ids, replicas: 1, startedAt: at } }).then([{ type: 'ResumeRoute', data: { routeId: 's_1' } }]);
    workflowSpec(routeOnServiceLifecycle)
      .when({ type: 'ServiceDeleted', data: { ...ids, name: 'web', projectName: 'shop', domains: [], deleteVolumes: false, deletedAt: at } })
      .then([{ type: 'RemoveRoute', data: { routeId: 's_1' } }]);
  });

  it('leaves the route alone for a scale or a restart (Swarm\u2019s healthy tasks are the upstream)', () => {
    workflowSpec(routeOnServiceLifecycle).when({ type: 'ServiceScaled', data: { ...ids, replicas: 3, previousReplicas: 1 } }).then([]);
    workflowSpec(routeOnServiceLifecycle).when({ type: 'ServiceRestarted', data: { ...ids, requestedAt: at } }).then([]);
  });
});
