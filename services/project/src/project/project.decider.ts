import { assertNever, type Decider } from '@slipway/event-store';
import { DomainError } from '@slipway/messaging';
import type { EventData, ProjectCreated, ProjectDeleted, ServiceCreated, ServiceDeleted, ServiceRenamed, ServiceSpec, WebhookSecretSet } from '@slipway/proto';
import { refuseReservedDomain } from '../settings/domain-rules';
import { checkDependencies } from '../settings/service-dependencies';
import { refuseDisallowedSource, type SourcePolicy } from '../settings/source-rules';

export type ProjectCommand =
  | { type: 'CreateProject'; data: { projectId: string; name: string }; now: string }
  /**
   * `platformDomain`: the instance's base domain, under which no domain of the service's own may be;
   * `sourcePolicy`: what decides whether the source is allowed (source-rules.ts).
   */
  | {
      type: 'CreateService';
      data: { projectId: string; serviceId: string; name: string; spec: ServiceSpec };
      platformDomain: string;
      sourcePolicy: SourcePolicy;
    }
  | { type: 'SetWebhookSecret'; data: EventData<typeof WebhookSecretSet> };

export type ProjectEvent =
  | { type: 'ProjectCreated'; data: EventData<typeof ProjectCreated> }
  | { type: 'ServiceCreated'; data: EventData<typeof ServiceCreated> }
  | { type: 'WebhookSecretSet'; data: EventData<typeof WebhookSecretSet> }
  | { type: 'ServiceRenamed'; data: EventData<typeof ServiceRenamed> }
  | { type: 'ServiceDeleted'; data: EventData<typeof ServiceDeleted> }
  | { type: 'ProjectDeleted'; data: EventData<typeof ProjectDeleted> };

/** A deleted service's name is free again in its project; a deleted project takes nothing more. */
export type ProjectState =
  | { status: 'none' }
  | { status: 'active' | 'deleted'; projectId: string; name: string; services: { serviceId: string; name: string }[] };

const liveProject = (state: ProjectState, projectId: string) => {
  if (state.status === 'none') throw new DomainError('PROJECT_NOT_FOUND', `No project ${projectId}`, 'projectId');
  if (state.status === 'deleted') throw new DomainError('PROJECT_DELETED', `Project ${state.name} was deleted`, 'projectId');
  return state;
};

const decide = (command: ProjectCommand, state: ProjectState): ProjectEvent[] => {
  switch (command.type) {
    case 'CreateProject':
      if (state.status !== 'none') {
        if (state.name === command.data.name && state.status === 'active') return []; // the same request again
        throw new DomainError('PROJECT_EXISTS', `Project ${command.data.projectId} already exists`, 'projectId');
      }
      return [{ type: 'ProjectCreated', data: { ...command.data, createdAt: command.now } }];
    case 'CreateService': {
      const project = liveProject(state, command.data.projectId);
      const byName = project.services.find((s) => s.name === command.data.name);
      if (byName?.serviceId === command.data.serviceId) return [];
      if (byName) {
        throw new DomainError('SERVICE_NAME_TAKEN', `Project ${project.name} already has a service named "${command.data.name}"`, 'name');
      }
      if (project.services.some((s) => s.serviceId === command.data.serviceId)) {
        throw new DomainError('SERVICE_EXISTS', `Service ${command.data.serviceId} already exists`, 'serviceId');
      }
      for (const hostname of command.data.spec.domains) refuseReservedDomain(hostname, command.platformDomain);
      refuseDisallowedSource(command.data.spec.source, command.data.projectId, command.sourcePolicy);
      const { dependsOn, ...spec } = command.data.spec;
      if (!dependsOn?.length) return [{ type: 'ServiceCreated', data: { ...command.data, spec } }];
      // A new service has no dependents yet, so it cannot close a cycle: only the ids are checked.
      const services = project.services.map((s) => ({ ...s, dependsOn: [] }));
      const checked = checkDependencies({ name: project.name, services }, command.data, dependsOn, 'dependsOn');
      return [{ type: 'ServiceCreated', data: { ...command.data, spec: { ...spec, dependsOn: checked } } }];
    }
    case 'SetWebhookSecret':
      liveProject(state, command.data.projectId);
      return [{ type: 'WebhookSecretSet', data: command.data }];
    default:
      return assertNever(command);
  }
};

const evolve = (state: ProjectState, event: ProjectEvent): ProjectState => {
  switch (event.type) {
    case 'ProjectCreated':
      return { status: 'active', projectId: event.data.projectId, name: event.data.name, services: [] };
    case 'ServiceCreated':
      return state.status === 'none'
        ? state
        : { ...state, services: [...state.services, { serviceId: event.data.serviceId, name: event.data.name }] };
    case 'WebhookSecretSet':
      return state;
    case 'ServiceRenamed':
      return state.status === 'none'
        ? state
        : { ...state, services: state.services.map((s) => (s.serviceId === event.data.serviceId ? { ...s, name: event.data.name } : s)) };
    case 'ServiceDeleted':
      return state.status === 'none' ? state : { ...state, services: state.services.filter((s) => s.serviceId !== event.data.serviceId) };
    case 'ProjectDeleted':
      return state.status === 'none' ? state : { ...state, status: 'deleted' };
    default:
      return state;
  }
};

export const projectDecider: Decider<ProjectCommand, ProjectEvent, ProjectState> = { decide, evolve, initialState: { status: 'none' } };
