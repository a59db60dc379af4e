import type { DomainEvent, EventStore } from '@slipway/event-store';
import { DomainError } from '@slipway/messaging';
import { INSTANCE_ID, previewCopyName, type EnvEntry, type ServiceSettingsChange, type ServiceSource, type ServiceSpec, type ServiceVolume } from '@slipway/proto';
import { mergeEnv, withoutVar, withVar, type EnvVarsByKey } from './deployment-env';

export interface DeploymentTarget {
  projectName: string;
  serviceName: string;
  spec: ServiceSpec;
}

interface CatalogService {
  name: string;
  /** Every name it had (renamed services have images under each). */
  names: string[];
  spec: ServiceSpec;
  env: EnvVarsByKey;
  /** Its preview level: used by its preview copies only. */
  previewEnv?: EnvVarsByKey;
  stopped: boolean;
}

/** A project as a deployment needs it, folded from the project's own events. */
export interface CatalogProject {
  name?: string;
  deleted?: boolean;
  env: EnvVarsByKey;
  /** The project's preview level: used by preview copies only. */
  previewEnv?: EnvVarsByKey;
  services: ReadonlyMap<string, CatalogService>;
  /** Deleted services by id, with every name each had (their images are under those names). */
  deletedServices?: ReadonlyMap<string, readonly string[]>;
}

const applySettings = (spec: ServiceSpec, change: ServiceSettingsChange): ServiceSpec => ({
  ...spec,
  ...(change.port !== undefined ? { port: change.port } : {}),
  ...(change.replicas !== undefined ? { replicas: change.replicas } : {}),
  ...(change.resources ? { resources: change.resources } : {}),
  ...(change.healthCheck ? { healthCheck: change.healthCheck } : {}),
  ...(change.build ? { build: change.build } : {}),
  ...(change.command ? { command: change.command } : {}),
  ...(change.dependsOn ? { dependsOn: change.dependsOn } : {}),
  ...(change.redeployDependents !== undefined ? { redeployDependents: change.redeployDependents } : {}),
});

/** Variables given when the service was created are its own (service level), in clear. */
const createdEnv = (spec: ServiceSpec): EnvVarsByKey =>
  new Map(
    spec.env.map((v): [string, EnvEntry] =>
      'value' in v ? [v.key, { key: v.key, secret: false, value: v.value }] : [v.key, { key: v.key, secret: true, sealedValue: v.sealedValue }],
    ),
  );

export const emptyProject: CatalogProject = { env: new Map(), services: new Map() };

/** Folds one event of the project stream; events a deployment does not care about change nothing. */
export const evolveCatalog = (project: CatalogProject, event: DomainEvent): CatalogProject => {
  const data = event.data as Record<string, never>;
  const service = (id: string, change: (s: CatalogService) => CatalogService): CatalogProject => {
    const current = project.services.get(id);
    return current ? { ...project, services: new Map(project.services).set(id, change(current)) } : project;
  };
  switch (event.type) {
    case 'ProjectCreated':
      return { ...project, name: data.name };
    case 'ServiceCreated': {
      const spec = data.spec as ServiceSpec;
      const created: CatalogService = { name: data.name, names: [data.name], spec, env: createdEnv(spec), stopped: false };
      return { ...project, services: new Map(project.services).set(data.serviceId, created) };
    }
    case 'ServiceRenamed':
      return service(data.serviceId, (s) => ({ ...s, name: data.name, names: [...s.names, data.name] }));
    case 'ServiceScaled':
      return service(data.serviceId, (s) => ({ ...s, spec: { ...s.spec, replicas: data.replicas } }));
    case 'ServiceStopped':
    case 'ServiceStarted':
      return service(data.serviceId, (s) => ({ ...s, stopped: event.type === 'ServiceStopped' }));
    case 'ServiceDeleted': {
      const services = new Map(project.services);
      const names = services.get(data.serviceId)?.names ?? [data.name];
      services.delete(data.serviceId);
      return { ...project, services, deletedServices: new Map(project.deletedServices).set(data.serviceId, names) };
    }
    case 'ProjectDeleted':
      return { ...project, deleted: true };
    case 'ServiceSettingsChanged':
      return service(data.serviceId, (s) => ({ ...s, spec: applySettings(s.spec, data.settings as ServiceSettingsChange) }));
    case 'ServiceSourceChanged':
      return service(data.serviceId, (s) => ({ ...s, spec: { ...s.spec, source: data.source as ServiceSource } }));
    case 'ServiceDomainAdded':
    case 'ServiceDomainRemoved':
      return service(data.serviceId, (s) => ({ ...s, spec: { ...s.spec, domains: data.domains as string[] } }));
    case 'ServiceVolumeAdded':
    case 'ServiceVolumeRemoved':
      return service(data.serviceId, (s) => ({ ...s, spec: { ...s.spec, volumes: data.volumes as ServiceVolume[] } }));
    case 'ServiceEnvVarSet':
      return service(data.serviceId, (s) => ({ ...s, env: withVar(s.env, data.variable as EnvEntry) }));
    case 'ServiceEnvVarRemoved':
      return service(data.serviceId, (s) => ({ ...s, env: withoutVar(s.env, data.key) }));
    case 'ProjectEnvVarSet':
      return { ...project, env: withVar(project.env, data.variable as EnvEntry) };
    case 'ProjectEnvVarRemoved':
      return { ...project, env: withoutVar(project.env, data.key) };
    case 'ProjectPreviewEnvVarSet':
      return { ...project, previewEnv: withVar(project.previewEnv ?? new Map(), data.variable as EnvEntry) };
    case 'ProjectPreviewEnvVarRemoved':
      return { ...project, previewEnv: withoutVar(project.previewEnv ?? new Map(), data.key) };
    case 'ServicePreviewEnvVarSet':
      return service(data.serviceId, (s) => ({ ...s, previewEnv: withVar(s.previewEnv ?? new Map(), data.variable as EnvEntry) }));
    case 'ServicePreviewEnvVarRemoved':
      return service(data.serviceId, (s) => ({ ...s, previewEnv: withoutVar(s.previewEnv ?? new Map(), data.key) }));
    default:
      return project;
  }
};

/** The instance-wide variables, from the instance/global stream. */
export const evolveGlobalEnv = (vars: EnvVarsByKey, event: DomainEvent): EnvVarsByKey => {
  if (event.type === 'GlobalEnvVarSet') return withVar(vars, event.data.variable as EnvEntry);
  if (event.type === 'GlobalEnvVarRemoved') return withoutVar(vars, String(event.data.key));
  return vars;
};

/** The instance's variables now. */
export const loadGlobalEnv = async (store: EventStore): Promise<EnvVarsByKey> =>
  (await store.read({ context: 'project', aggregate: 'instance', id: INSTANCE_ID })).events.reduce<EnvVarsByKey>(evolveGlobalEnv, new Map());

/** The snapshot a deployment keeps: the service's settings and the merged environment, as they are now. */
export const deploymentTarget = (project: CatalogProject, globalEnv: EnvVarsByKey, projectId: string, serviceId: string, preview?: { slug: string }): DeploymentTarget => {
  if (!project.name) throw new DomainError('PROJECT_NOT_FOUND', `No project ${projectId}`, 'projectId');
  if (project.deleted) throw new DomainError('PROJECT_DELETED', `Project ${project.name} was deleted`, 'projectId');
  const service = project.services.get(serviceId);
  if (!service) throw new DomainError('SERVICE_NOT_FOUND', `Project ${project.name} has no service ${serviceId}`, 'serviceId');
  if (service.stopped) throw new DomainError('SERVICE_STOPPED', `Service ${service.name} is stopped: start it, then deploy`, 'serviceId');
  const env = mergeEnv([
    { level: 'global', vars: [...globalEnv.values()] },
    { level: 'project', vars: [...project.env.values()] },
    { level: 'service', vars: [...service.env.values()] },
    ...(preview
      ? [
          { level: 'preview' as const, vars: [...(project.previewEnv?.values() ?? [])] },
          { level: 'preview' as const, vars: [...(service.previewEnv?.values() ?? [])] },
        ]
      : []),
  ]);
  if (!preview) return { projectName: project.name, serviceName: service.name, spec: { ...service.spec, env } };
  // A preview copy: its own name (hence Swarm service, images and hostname), no custom domain.
  return { projectName: project.name, serviceName: previewCopyName(service.name, preview.slug), spec: { ...service.spec, env, domains: [] } };
};

/** A project's catalog now, folded from its own events. */
export const loadCatalog = async (store: EventStore, projectId: string): Promise<CatalogProject> =>
  (await store.read({ context: 'project', aggregate: 'project', id: projectId })).events.reduce<CatalogProject>(evolveCatalog, emptyProject);

/** What Swarm should run of a service now: its replicas, none while stopped or once deleted. */
export const desiredReplicas = (project: CatalogProject, serviceId: string): number => {
  const service = project.services.get(serviceId);
  return !service || project.deleted || service.stopped ? 0 : service.spec.replicas;
};

/**
 * What a deployment of this service should run, read from the project's own events and the
 * instance's: the deployment keeps this snapshot, so a later change of the service never alters it.
 */
export const resolveTarget = async (store: EventStore, projectId: string, serviceId: string): Promise<DeploymentTarget> => {
  const [project, instance] = await Promise.all([
    store.read({ context: 'project', aggregate: 'project', id: projectId }),
    store.read({ context: 'project', aggregate: 'instance', id: INSTANCE_ID }),
  ]);
  const catalog = project.events.reduce<CatalogProject>(evolveCatalog, emptyProject);
  const globalEnv = instance.events.reduce<EnvVarsByKey>(evolveGlobalEnv, new Map());
  return deploymentTarget(catalog, globalEnv, projectId, serviceId);
};
