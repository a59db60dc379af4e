import { assertNever, type Decider } from '@slipway/event-store';
import { DomainError } from '@slipway/messaging';
import type {
  EnvEntry,
  EventData,
  GlobalEnvVarRemoved,
  GlobalEnvVarSet,
  ProjectCreated,
  ProjectDeleted,
  ProjectEnvVarRemoved,
  ProjectEnvVarSet,
  ProjectPreviewEnvVarRemoved,
  ProjectPreviewEnvVarSet,
  ServiceCreated,
  ServiceDeleted,
  ServiceEnvVarRemoved,
  ServiceEnvVarSet,
  ServicePreviewEnvVarRemoved,
  ServicePreviewEnvVarSet,
} from '@slipway/proto';

/**
 * Bounds per level. A deployment carries the merged environment of three levels in one event (and
 * NATS takes at most 1 MiB a message): 3 × 128 KiB, sealed (base64, +⅓), stays well under it.
 */
export const ENV_LIMITS = { varsPerLevel: 500, bytesPerLevel: 128 * 1024 } as const;

type Vars = Readonly<Record<string, EnvEntry>>;

const utf8Bytes = (text: string) => Buffer.byteLength(text, 'utf8');
/** A sealed value is as long as its plaintext (GCM adds no padding): the bytes its base64 holds. */
const base64Bytes = (b64: string) => Math.floor((b64.length * 3) / 4) - (b64.endsWith('==') ? 2 : b64.endsWith('=') ? 1 : 0);
export const entryBytes = (entry: EnvEntry) => utf8Bytes(entry.key) + (entry.secret ? base64Bytes(entry.sealedValue.data) : utf8Bytes(entry.value));

/** The events that set a variable, or none when it already holds exactly this plain value. */
const setVar = <E>(vars: Vars, variable: EnvEntry, level: string, event: E): E[] => {
  const current = vars[variable.key];
  // A secret is sealed with a fresh IV every time: setting one always records a change.
  if (current && !current.secret && !variable.secret && current.value === variable.value) return [];
  const next = { ...vars, [variable.key]: variable };
  if (Object.keys(next).length > ENV_LIMITS.varsPerLevel) {
    throw new DomainError('ENV_LIMIT', `${level} has ${ENV_LIMITS.varsPerLevel} env vars already, the most one level may have`, 'key');
  }
  const bytes = Object.values(next).reduce((sum, v) => sum + entryBytes(v), 0);
  if (bytes > ENV_LIMITS.bytesPerLevel) {
    throw new DomainError(
      'ENV_LIMIT',
      `${level}'s env vars would take ${bytes} bytes; one level may hold at most ${ENV_LIMITS.bytesPerLevel} (128 KiB)`,
      'value',
    );
  }
  return [event];
};

/** Removing what is not there is already done (a retried command must not fail). */
const removeVar = <E>(vars: Vars, key: string, event: E): E[] => (vars[key] ? [event] : []);

const withVar = (vars: Vars, variable: EnvEntry): Vars => ({ ...vars, [variable.key]: variable });
const withoutVar = (vars: Vars, key: string): Vars => Object.fromEntries(Object.entries(vars).filter(([k]) => k !== key));

// ——— project and service levels: the project stream ———

export type ProjectEnvCommand =
  | { type: 'SetProjectEnvVar'; data: EventData<typeof ProjectEnvVarSet> }
  | { type: 'RemoveProjectEnvVar'; data: EventData<typeof ProjectEnvVarRemoved> }
  | { type: 'SetServiceEnvVar'; data: EventData<typeof ServiceEnvVarSet> }
  | { type: 'RemoveServiceEnvVar'; data: EventData<typeof ServiceEnvVarRemoved> }
  | { type: 'SetProjectPreviewEnvVar'; data: EventData<typeof ProjectPreviewEnvVarSet> }
  | { type: 'RemoveProjectPreviewEnvVar'; data: EventData<typeof ProjectPreviewEnvVarRemoved> }
  | { type: 'SetServicePreviewEnvVar'; data: EventData<typeof ServicePreviewEnvVarSet> }
  | { type: 'RemoveServicePreviewEnvVar'; data: EventData<typeof ServicePreviewEnvVarRemoved> };

export type ProjectEnvEvent =
  | { type: 'ProjectCreated'; data: EventData<typeof ProjectCreated> }
  | { type: 'ServiceCreated'; data: EventData<typeof ServiceCreated> }
  | { type: 'ProjectEnvVarSet'; data: EventData<typeof ProjectEnvVarSet> }
  | { type: 'ProjectEnvVarRemoved'; data: EventData<typeof ProjectEnvVarRemoved> }
  | { type: 'ServiceEnvVarSet'; data: EventData<typeof ServiceEnvVarSet> }
  | { type: 'ServiceEnvVarRemoved'; data: EventData<typeof ServiceEnvVarRemoved> }
  | { type: 'ProjectPreviewEnvVarSet'; data: EventData<typeof ProjectPreviewEnvVarSet> }
  | { type: 'ProjectPreviewEnvVarRemoved'; data: EventData<typeof ProjectPreviewEnvVarRemoved> }
  | { type: 'ServicePreviewEnvVarSet'; data: EventData<typeof ServicePreviewEnvVarSet> }
  | { type: 'ServicePreviewEnvVarRemoved'; data: EventData<typeof ServicePreviewEnvVarRemoved> }
  | { type: 'ServiceDeleted'; data: EventData<typeof ServiceDeleted> }
  | { type: 'ProjectDeleted'; data: EventData<typeof ProjectDeleted> };

export type ProjectEnvState =
  | { status: 'none' }
  | { status: 'active'; name: string; env: Vars; previewEnv: Vars; services: Readonly<Record<string, { name: string; env: Vars; previewEnv: Vars }>> };

const activeProject = (state: ProjectEnvState, projectId: string) => {
  if (state.status === 'none') throw new DomainError('PROJECT_NOT_FOUND', `No project ${projectId}`, 'projectId');
  return state;
};
const serviceOf = (state: ProjectEnvState, projectId: string, serviceId: string) => {
  const project = activeProject(state, projectId);
  const service = project.services[serviceId];
  if (!service) throw new DomainError('SERVICE_NOT_FOUND', `Project ${project.name} has no service ${serviceId}`, 'serviceId');
  return service;
};

const decideProjectEnv = (command: ProjectEnvCommand, state: ProjectEnvState): ProjectEnvEvent[] => {
  const { projectId } = command.data;
  switch (command.type) {
    case 'SetProjectEnvVar': {
      const project = activeProject(state, projectId);
      return setVar(project.env, command.data.variable, `Project ${project.name}`, { type: 'ProjectEnvVarSet', data: command.data });
    }
    case 'RemoveProjectEnvVar':
      return removeVar(activeProject(state, projectId).env, command.data.key, { type: 'ProjectEnvVarRemoved', data: command.data });
    case 'SetServiceEnvVar': {
      const service = serviceOf(state, projectId, command.data.serviceId);
      return setVar(service.env, command.data.variable, `Service ${service.name}`, { type: 'ServiceEnvVarSet', data: command.data });
    }
    case 'RemoveServiceEnvVar':
      return removeVar(serviceOf(state, projectId, command.data.serviceId).env, command.data.key, { type: 'ServiceEnvVarRemoved', data: command.data });
    case 'SetProjectPreviewEnvVar': {
      const project = activeProject(state, projectId);
      return setVar(project.previewEnv, command.data.variable, `Project ${project.name}'s preview level`, { type: 'ProjectPreviewEnvVarSet', data: command.data });
    }
    case 'RemoveProjectPreviewEnvVar':
      return removeVar(activeProject(state, projectId).previewEnv, command.data.key, { type: 'ProjectPreviewEnvVarRemoved', data: command.data });
    case 'SetServicePreviewEnvVar': {
      const service = serviceOf(state, projectId, command.data.serviceId);
      return setVar(service.previewEnv, command.data.variable, `Service ${service.name}'s preview level`, { type: 'ServicePreviewEnvVarSet', data: command.data });
    }
    case 'RemoveServicePreviewEnvVar':
      return removeVar(serviceOf(state, projectId, command.data.serviceId).previewEnv, command.data.key, { type: 'ServicePreviewEnvVarRemoved', data: command.data });
    default:
      return assertNever(command);
  }
};

const evolveProjectEnv = (state: ProjectEnvState, event: ProjectEnvEvent): ProjectEnvState => {
  if (event.type === 'ProjectCreated') return { status: 'active', name: event.data.name, env: {}, previewEnv: {}, services: {} };
  if (state.status === 'none') return state;
  const service = (id: string, env: (vars: Vars) => Vars, level: 'env' | 'previewEnv' = 'env') =>
    state.services[id] ? { ...state, services: { ...state.services, [id]: { ...state.services[id], [level]: env(state.services[id][level]) } } } : state;
  switch (event.type) {
    case 'ServiceCreated': {
      // What the service was created with is its own level, in clear.
      const env = Object.fromEntries(
        event.data.spec.env.map((v): [string, EnvEntry] =>
          'value' in v ? [v.key, { key: v.key, secret: false, value: v.value }] : [v.key, { key: v.key, secret: true, sealedValue: v.sealedValue }],
        ),
      );
      return { ...state, services: { ...state.services, [event.data.serviceId]: { name: event.data.name, env, previewEnv: {} } } };
    }
    case 'ProjectEnvVarSet':
      return { ...state, env: withVar(state.env, event.data.variable) };
    case 'ProjectEnvVarRemoved':
      return { ...state, env: withoutVar(state.env, event.data.key) };
    case 'ServiceEnvVarSet':
      return service(event.data.serviceId, (env) => withVar(env, event.data.variable));
    case 'ServiceEnvVarRemoved':
      return service(event.data.serviceId, (env) => withoutVar(env, event.data.key));
    case 'ProjectPreviewEnvVarSet':
      return { ...state, previewEnv: withVar(state.previewEnv, event.data.variable) };
    case 'ProjectPreviewEnvVarRemoved':
      return { ...state, previewEnv: withoutVar(state.previewEnv, event.data.key) };
    case 'ServicePreviewEnvVarSet':
      return service(event.data.serviceId, (env) => withVar(env, event.data.variable), 'previewEnv');
    case 'ServicePreviewEnvVarRemoved':
      return service(event.data.serviceId, (env) => withoutVar(env, event.data.key), 'previewEnv');
    case 'ServiceDeleted': {
      const { [event.data.serviceId]: _gone, ...services } = state.services;
      return { ...state, services };
    }
    case 'ProjectDeleted':
      return { status: 'none' };
    default:
      return state;
  }
};

/** Env vars of a project and of its services; runs on the project's stream, beside the project decider. */
export const projectEnvDecider: Decider<ProjectEnvCommand, ProjectEnvEvent, ProjectEnvState> = {
  decide: decideProjectEnv,
  evolve: evolveProjectEnv,
  initialState: { status: 'none' },
};

// ——— global level: the instance stream ———

export type GlobalEnvCommand =
  | { type: 'SetGlobalEnvVar'; data: EventData<typeof GlobalEnvVarSet> }
  | { type: 'RemoveGlobalEnvVar'; data: EventData<typeof GlobalEnvVarRemoved> };

export type GlobalEnvEvent =
  | { type: 'GlobalEnvVarSet'; data: EventData<typeof GlobalEnvVarSet> }
  | { type: 'GlobalEnvVarRemoved'; data: EventData<typeof GlobalEnvVarRemoved> };

/** Instance-wide env vars: every service of every project gets them, below its project's and its own. */
export const globalEnvDecider: Decider<GlobalEnvCommand, GlobalEnvEvent, { env: Vars }> = {
  initialState: { env: {} },
  decide: (command, state) => {
    switch (command.type) {
      case 'SetGlobalEnvVar':
        return setVar(state.env, command.data.variable, 'The instance', { type: 'GlobalEnvVarSet', data: command.data });
      case 'RemoveGlobalEnvVar':
        return removeVar(state.env, command.data.key, { type: 'GlobalEnvVarRemoved', data: command.data });
      default:
        return assertNever(command);
    }
  },
  evolve: (state, event) => {
    switch (event.type) {
      case 'GlobalEnvVarSet':
        return { env: withVar(state.env, event.data.variable) };
      case 'GlobalEnvVarRemoved':
        return { env: withoutVar(state.env, event.data.key) };
      default:
        return state; // other instance-wide settings may share the stream
    }
  },
};
