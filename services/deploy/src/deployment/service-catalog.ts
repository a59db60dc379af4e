import type { EventStore } from '@slipway/event-store';
import { DomainError } from '@slipway/messaging';
import type { ServiceSpec } from '@slipway/proto';

export interface DeploymentTarget {
  projectName: string;
  serviceName: string;
  spec: ServiceSpec;
}

/**
 * What a deployment of this service should run, read from the project's own events: the
 * deployment keeps this snapshot, so a later change of the service never alters it.
 */
export const resolveTarget = async (store: EventStore, projectId: string, serviceId: string): Promise<DeploymentTarget> => {
  const { events } = await store.read({ context: 'project', aggregate: 'project', id: projectId });
  const project = events.find((e) => e.type === 'ProjectCreated');
  if (!project) throw new DomainError('PROJECT_NOT_FOUND', `No project ${projectId}`, 'projectId');
  let target: DeploymentTarget | undefined;
  for (const e of events) {
    if (e.type === 'ServiceCreated' && e.data.serviceId === serviceId) {
      target = { projectName: String(project.data.name), serviceName: String(e.data.name), spec: e.data.spec as ServiceSpec };
    }
  }
  if (!target) throw new DomainError('SERVICE_NOT_FOUND', `Project ${project.data.name} has no service ${serviceId}`, 'serviceId');
  return target;
};
