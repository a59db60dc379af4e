import { assertNever, type Decider } from '@slipway/event-store';
import { DomainError } from '@slipway/messaging';
import type {
  EventData,
  ProjectCreated,
  ProjectDeleted,
  ServiceCreated,
  ServiceDeleted,
  ServiceDomainAdded,
  ServiceDomainRemoved,
  ServiceRenamed,
  ServiceRestarted,
  ServiceScaled,
  ServiceSettingsChanged,
  ServiceStarted,
  ServiceStopped,
} from '@slipway/proto';
import { refuseDeletingDependency } from '../settings/service-dependencies';

type Data<D> = EventData<D>;
type Ids = { projectId: string; serviceId: string };

export type LifecycleCommand =
  | { type: 'StopService'; data: Ids; now: string }
  | { type: 'StartService'; data: Ids; now: string }
  | { type: 'RestartService'; data: Ids; now: string }
  | { type: 'ScaleService'; data: Ids & { replicas: number } }
  | { type: 'DeleteService'; data: Ids & { deleteVolumes: boolean }; now: string }
  | { type: 'DeleteProject'; data: { projectId: string; deleteVolumes: boolean }; now: string };

export type LifecycleEvent =
  | { type: 'ProjectCreated'; data: Data<typeof ProjectCreated> }
  | { type: 'ServiceCreated'; data: Data<typeof ServiceCreated> }
  | { type: 'ServiceSettingsChanged'; data: Data<typeof ServiceSettingsChanged> }
  | { type: 'ServiceDomainAdded'; data: Data<typeof ServiceDomainAdded> }
  | { type: 'ServiceDomainRemoved'; data: Data<typeof ServiceDomainRemoved> }
  | { type: 'ServiceRenamed'; data: Data<typeof ServiceRenamed> }
  | { type: 'ServiceStopped'; data: Data<typeof ServiceStopped> }
  | { type: 'ServiceStarted'; data: Data<typeof ServiceStarted> }
  | { type: 'ServiceRestarted'; data: Data<typeof ServiceRestarted> }
  | { type: 'ServiceScaled'; data: Data<typeof ServiceScaled> }
  | { type: 'ServiceDeleted'; data: Data<typeof ServiceDeleted> }
  | { type: 'ProjectDeleted'; data: Data<typeof ProjectDeleted> };

interface LiveService {
  name: string;
  replicas: number;
  stopped: boolean;
  domains: string[];
  dependsOn: readonly string[];
}

/** Deleted services (and a deleted project) are remembered, so a retried delete succeeds quietly. */
export type LifecycleState =
  | { status: 'none' }
  | { status: 'active' | 'deleted'; name: string; services: Readonly<Record<string, LiveService>>; deletedServices: readonly string[] };

const liveProject = (state: LifecycleState, projectId: string) => {
  if (state.status === 'none') throw new DomainError('PROJECT_NOT_FOUND', `No project ${projectId}`, 'projectId');
  if (state.status === 'deleted') throw new DomainError('PROJECT_DELETED', `Project ${state.name} was deleted`, 'projectId');
  return state;
};

const liveService = (state: LifecycleState, { projectId, serviceId }: Ids) => {
  const project = liveProject(state, projectId);
  const service = project.services[serviceId];
  if (service) return { project, service };
  if (project.deletedServices.includes(serviceId)) throw new DomainError('SERVICE_DELETED', `Service ${serviceId} was deleted`, 'serviceId');
  throw new DomainError('SERVICE_NOT_FOUND', `Project ${project.name} has no service ${serviceId}`, 'serviceId');
};

const dependencyView = (services: Readonly<Record<string, LiveService>>) =>
  Object.entries(services).map(([serviceId, s]) => ({ serviceId, name: s.name, dependsOn: s.dependsOn }));

const deleted = (projectName: string, ids: Ids, service: LiveService, deleteVolumes: boolean, now: string): LifecycleEvent => ({
  type: 'ServiceDeleted',
  data: { ...ids, name: service.name, projectName, domains: service.domains, deleteVolumes, deletedAt: now },
});

const decide = (command: LifecycleCommand, state: LifecycleState): LifecycleEvent[] => {
  switch (command.type) {
    case 'StopService': {
      const { service } = liveService(state, command.data);
      return service.stopped ? [] : [{ type: 'ServiceStopped', data: { ...command.data, stoppedAt: command.now } }];
    }
    case 'StartService': {
      const { service } = liveService(state, command.data);
      return service.stopped ? [{ type: 'ServiceStarted', data: { ...command.data, replicas: service.replicas, startedAt: command.now } }] : [];
    }
    case 'RestartService': {
      const { service } = liveService(state, command.data);
      if (service.stopped) throw new DomainError('SERVICE_STOPPED', `Service ${service.name} is stopped: start it instead of restarting it`, 'serviceId');
      return [{ type: 'ServiceRestarted', data: { ...command.data, requestedAt: command.now } }];
    }
    case 'ScaleService': {
      // A stopped service keeps the number for when it starts again.
      const { service } = liveService(state, command.data);
      const { replicas } = command.data;
      return replicas === service.replicas ? [] : [{ type: 'ServiceScaled', data: { ...command.data, previousReplicas: service.replicas } }];
    }
    case 'DeleteService': {
      const { projectId, serviceId, deleteVolumes } = command.data;
      if (state.status !== 'none' && state.deletedServices.includes(serviceId)) return []; // a retried delete
      const { project, service } = liveService(state, command.data);
      // Refused rather than dropping the edge: a dependent that silently lost what it waits for would start before it.
      refuseDeletingDependency(dependencyView(project.services), serviceId, service.name);
      return [deleted(project.name, { projectId, serviceId }, service, deleteVolumes, command.now)];
    }
    case 'DeleteProject': {
      const { projectId, deleteVolumes } = command.data;
      if (state.status === 'deleted') return [];
      const project = liveProject(state, projectId);
      const services = Object.entries(project.services).sort(([a], [b]) => a.localeCompare(b));
      return [
        ...services.map(([serviceId, service]) => deleted(project.name, { projectId, serviceId }, service, deleteVolumes, command.now)),
        { type: 'ProjectDeleted', data: { projectId, name: project.name, serviceIds: services.map(([id]) => id), deleteVolumes, deletedAt: command.now } },
      ];
    }
    default:
      return assertNever(command);
  }
};

const evolve = (state: LifecycleState, event: LifecycleEvent): LifecycleState => {
  if (event.type === 'ProjectCreated') return { status: 'active', name: event.data.name, services: {}, deletedServices: [] };
  if (state.status === 'none') return state;
  const change = (serviceId: string, next: (s: LiveService) => Partial<LiveService>): LifecycleState => {
    const current = state.services[serviceId];
    return current ? { ...state, services: { ...state.services, [serviceId]: { ...current, ...next(current) } } } : state;
  };
  switch (event.type) {
    case 'ServiceCreated': {
      const { serviceId, name, spec } = event.data;
      return { ...state, services: { ...state.services, [serviceId]: { name, replicas: spec.replicas, stopped: false, domains: spec.domains, dependsOn: spec.dependsOn ?? [] } } };
    }
    case 'ServiceSettingsChanged': {
      const { replicas, dependsOn } = event.data.settings;
      return change(event.data.serviceId, (s) => ({ replicas: replicas ?? s.replicas, dependsOn: dependsOn ?? s.dependsOn }));
    }
    case 'ServiceDomainAdded':
    case 'ServiceDomainRemoved':
      return change(event.data.serviceId, () => ({ domains: event.data.domains }));
    case 'ServiceRenamed':
      return change(event.data.serviceId, () => ({ name: event.data.name }));
    case 'ServiceStopped':
      return change(event.data.serviceId, () => ({ stopped: true }));
    case 'ServiceStarted':
      return change(event.data.serviceId, () => ({ stopped: false }));
    case 'ServiceScaled':
      return change(event.data.serviceId, () => ({ replicas: event.data.replicas }));
    case 'ServiceRestarted':
      return state;
    case 'ServiceDeleted': {
      const { [event.data.serviceId]: _gone, ...services } = state.services;
      return { ...state, services, deletedServices: [...state.deletedServices, event.data.serviceId] };
    }
    case 'ProjectDeleted':
      return { ...state, status: 'deleted' };
    default:
      return state; // the project stream holds other events too (env vars, sources, …): they change nothing here
  }
};

/**
 * Whether a service runs, how many replicas, restarts and deletions: the desired state, on the
 * project's stream. What Swarm and the edge do about it is the deploy and routing services' part.
 */
export const serviceLifecycleDecider: Decider<LifecycleCommand, LifecycleEvent, LifecycleState> = {
  decide,
  evolve,
  initialState: { status: 'none' },
};
