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
  ServiceSettingsChange,
  ServiceSettingsChanged,
  ServiceSettingsInput,
  ServiceSource,
  ServiceSourceChanged,
  ServiceSpec,
  ServiceVolume,
  ServiceVolumeAdded,
  ServiceVolumeRemoved,
} from '@slipway/proto';
import { MAX_DOMAINS, refuseReservedDomain } from './domain-rules';
import { addedVolumes, removedVolumes } from './volume-rules';
import { checkDependencies } from './service-dependencies';
import { refuseDisallowedSource, type SourcePolicy } from './source-rules';

export { MAX_DOMAINS };

/** The settings as the user gives them, with any git credentials already sealed. */
export type SettingsRequest = Omit<ServiceSettingsInput, 'source'> & { source?: ServiceSource };

export type ServiceSettingsCommand =
  /** `sourcePolicy`: what decides whether a new source is allowed (source-rules.ts). */
  | { type: 'UpdateServiceSettings'; data: { projectId: string; serviceId: string; settings: SettingsRequest }; sourcePolicy: SourcePolicy }
  /** `platformDomain`: names under it are given to services automatically, so nobody may claim one. */
  | { type: 'AddDomain'; data: { projectId: string; serviceId: string; hostname: string; platformDomain: string } }
  | { type: 'RemoveDomain'; data: { projectId: string; serviceId: string; hostname: string } }
  | { type: 'AddVolume'; data: { projectId: string; serviceId: string } & ServiceVolume }
  | { type: 'RemoveVolume'; data: { projectId: string; serviceId: string; name: string } };

export type ServiceSettingsEvent =
  | { type: 'ProjectCreated'; data: EventData<typeof ProjectCreated> }
  | { type: 'ServiceCreated'; data: EventData<typeof ServiceCreated> }
  | { type: 'ServiceSettingsChanged'; data: EventData<typeof ServiceSettingsChanged> }
  | { type: 'ServiceSourceChanged'; data: EventData<typeof ServiceSourceChanged> }
  | { type: 'ServiceDomainAdded'; data: EventData<typeof ServiceDomainAdded> }
  | { type: 'ServiceDomainRemoved'; data: EventData<typeof ServiceDomainRemoved> }
  | { type: 'ServiceVolumeAdded'; data: EventData<typeof ServiceVolumeAdded> }
  | { type: 'ServiceVolumeRemoved'; data: EventData<typeof ServiceVolumeRemoved> }
  | { type: 'ServiceRenamed'; data: EventData<typeof ServiceRenamed> }
  | { type: 'ServiceDeleted'; data: EventData<typeof ServiceDeleted> }
  | { type: 'ProjectDeleted'; data: EventData<typeof ProjectDeleted> };

type Settings = Omit<ServiceSpec, 'env'>;
export type ServiceSettingsState =
  | { status: 'none' }
  | { status: 'active' | 'deleted'; name: string; services: Readonly<Record<string, { name: string; settings: Settings }>> };

const same = (a: unknown, b: unknown) => JSON.stringify(a) === JSON.stringify(b);

/** `auto` is what no choice means, the root what no context means, none what no arguments mean: none of them is stored. */
const buildOf = (
  dockerfilePath: string,
  strategy: SettingsRequest['buildStrategy'],
  context?: string,
  args?: Record<string, string>,
): Settings['build'] => ({
  dockerfilePath,
  ...(strategy && strategy !== 'auto' ? { strategy } : {}),
  ...(context && context !== '.' ? { context } : {}),
  ...(args && Object.keys(args).length ? { args } : {}),
});

/**
 * A git source given without credentials keeps the ones it had, but only for the same repository
 * URL: a token must never be sent to another host than the one it was given for.
 */
const nextSource = (current: ServiceSource, given: ServiceSource): ServiceSource =>
  given.kind === 'git' && !given.credentials && current.kind === 'git' && current.url === given.url && current.credentials
    ? { ...given, credentials: current.credentials }
    : given;

/** Only what differs from the current settings; nothing when nothing changes. */
const settingsChange = (current: Settings, request: SettingsRequest): ServiceSettingsChange => {
  const change: ServiceSettingsChange = {};
  if (request.port !== undefined && request.port !== current.port) change.port = request.port;
  if (request.replicas !== undefined && request.replicas !== current.replicas) change.replicas = request.replicas;
  const resources = { cpu: request.cpu ?? current.resources.cpu, memoryMb: request.memoryMb ?? current.resources.memoryMb };
  if (!same(resources, current.resources)) change.resources = resources;
  if (request.healthCheck && !same(request.healthCheck, current.healthCheck)) change.healthCheck = request.healthCheck;
  const build = buildOf(
    request.dockerfilePath ?? current.build.dockerfilePath,
    request.buildStrategy ?? current.build.strategy,
    request.buildContext ?? current.build.context,
    request.buildArgs ?? current.build.args,
  );
  if (!same(build, buildOf(current.build.dockerfilePath, current.build.strategy, current.build.context, current.build.args))) change.build = build;
  if (request.command && !same(request.command, current.command ?? [])) change.command = request.command;
  if (request.dependsOn && !same(request.dependsOn, current.dependsOn ?? [])) change.dependsOn = request.dependsOn;
  if (request.redeployDependents !== undefined && request.redeployDependents !== (current.redeployDependents ?? false)) {
    change.redeployDependents = request.redeployDependents;
  }
  return change;
};

const dependencyView = (project: Exclude<ServiceSettingsState, { status: 'none' }>) => ({
  name: project.name,
  services: Object.entries(project.services).map(([serviceId, s]) => ({ serviceId, name: s.name, dependsOn: s.settings.dependsOn ?? [] })),
});

const serviceOf = (state: ServiceSettingsState, projectId: string, serviceId: string) => {
  if (state.status === 'none') throw new DomainError('PROJECT_NOT_FOUND', `No project ${projectId}`, 'projectId');
  if (state.status === 'deleted') throw new DomainError('PROJECT_DELETED', `Project ${state.name} was deleted`, 'projectId');
  const service = state.services[serviceId];
  if (!service) throw new DomainError('SERVICE_NOT_FOUND', `Project ${state.name} has no service ${serviceId}`, 'serviceId');
  return service;
};

const decide = (command: ServiceSettingsCommand, state: ServiceSettingsState): ServiceSettingsEvent[] => {
  const { projectId, serviceId } = command.data;
  const service = serviceOf(state, projectId, serviceId);
  const { domains } = service.settings;
  switch (command.type) {
    case 'UpdateServiceSettings': {
      const events: ServiceSettingsEvent[] = [];
      const { name } = command.data.settings;
      if (name !== undefined && name !== service.name) {
        const project = state as Exclude<ServiceSettingsState, { status: 'none' }>; // serviceOf found it
        if (Object.values(project.services).some((s) => s.name === name)) {
          throw new DomainError('SERVICE_NAME_TAKEN', `Project ${project.name} already has a service named "${name}"`, 'settings.name');
        }
        events.push({ type: 'ServiceRenamed', data: { projectId, serviceId, name, previousName: service.name } });
      }
      const { dependsOn } = command.data.settings;
      const project = state as Exclude<ServiceSettingsState, { status: 'none' }>; // serviceOf found it
      const request = dependsOn
        ? { ...command.data.settings, dependsOn: checkDependencies(dependencyView(project), { serviceId, name: service.name }, dependsOn, 'settings.dependsOn') }
        : command.data.settings;
      const settings = settingsChange(service.settings, request);
      if (Object.keys(settings).length) events.push({ type: 'ServiceSettingsChanged', data: { projectId, serviceId, settings } });
      const given = command.data.settings.source;
      if (given) {
        const source = nextSource(service.settings.source, given);
        // Sealed credentials never compare equal (fresh IV): new ones given are always a change.
        if (!same(source, service.settings.source)) {
          // Only a change is judged: the source the service has (set by the instance owner) may be sent back as it is.
          refuseDisallowedSource(given, projectId, command.sourcePolicy, 'settings.');
          events.push({ type: 'ServiceSourceChanged', data: { projectId, serviceId, source } });
        }
      }
      return events;
    }
    case 'AddDomain': {
      const { hostname, platformDomain } = command.data;
      if (domains.includes(hostname)) return [];
      refuseReservedDomain(hostname, platformDomain);
      if (domains.length >= MAX_DOMAINS) {
        throw new DomainError('TOO_MANY_DOMAINS', `Service ${service.name} has ${MAX_DOMAINS} domains already, the most a service may have`, 'hostname');
      }
      return [{ type: 'ServiceDomainAdded', data: { projectId, serviceId, hostname, domains: [...domains, hostname] } }];
    }
    case 'RemoveDomain': {
      const { hostname } = command.data;
      if (!domains.includes(hostname)) return []; // already gone: a retried removal succeeds
      return [{ type: 'ServiceDomainRemoved', data: { projectId, serviceId, hostname, domains: domains.filter((d) => d !== hostname) } }];
    }
    case 'AddVolume': {
      const { name, mountPath } = command.data;
      const volumes = addedVolumes(service, { name, mountPath });
      return volumes ? [{ type: 'ServiceVolumeAdded', data: { projectId, serviceId, volume: { name, mountPath }, volumes } }] : [];
    }
    case 'RemoveVolume': {
      const volumes = removedVolumes(service.settings.volumes ?? [], command.data.name);
      return volumes ? [{ type: 'ServiceVolumeRemoved', data: { projectId, serviceId, name: command.data.name, volumes } }] : [];
    }
    default:
      return assertNever(command);
  }
};

const evolve = (state: ServiceSettingsState, event: ServiceSettingsEvent): ServiceSettingsState => {
  if (event.type === 'ProjectCreated') return { status: 'active', name: event.data.name, services: {} };
  if (state.status === 'none') return state;
  const service = (id: string, change: (s: Settings) => Settings): ServiceSettingsState =>
    state.services[id] ? { ...state, services: { ...state.services, [id]: { ...state.services[id], settings: change(state.services[id].settings) } } } : state;
  switch (event.type) {
    case 'ServiceCreated': {
      const { env: _env, ...settings } = event.data.spec;
      return { ...state, services: { ...state.services, [event.data.serviceId]: { name: event.data.name, settings } } };
    }
    case 'ServiceSettingsChanged':
      return service(event.data.serviceId, (s) => ({ ...s, ...event.data.settings }));
    case 'ServiceSourceChanged':
      return service(event.data.serviceId, (s) => ({ ...s, source: event.data.source }));
    case 'ServiceDomainAdded':
    case 'ServiceDomainRemoved':
      return service(event.data.serviceId, (s) => ({ ...s, domains: event.data.domains }));
    case 'ServiceVolumeAdded':
    case 'ServiceVolumeRemoved':
      return service(event.data.serviceId, (s) => ({ ...s, volumes: event.data.volumes }));
    case 'ServiceRenamed':
      return state.services[event.data.serviceId]
        ? { ...state, services: { ...state.services, [event.data.serviceId]: { ...state.services[event.data.serviceId], name: event.data.name } } }
        : state;
    case 'ServiceDeleted': {
      const { [event.data.serviceId]: _gone, ...services } = state.services;
      return { ...state, services };
    }
    case 'ProjectDeleted':
      return { ...state, status: 'deleted' };
    default:
      return state;
  }
};

/**
 * A service's settings after creation: name, port, replicas, resources, health check, build,
 * command, source, custom domains and volumes. Runs on the project's stream; the next deployment applies what changed.
 */
export const serviceSettingsDecider: Decider<ServiceSettingsCommand, ServiceSettingsEvent, ServiceSettingsState> = {
  decide,
  evolve,
  initialState: { status: 'none' },
};
