import type { DomainEvent, EventStore } from '@slipway/event-store';
import { DomainError } from '@slipway/messaging';
import { INSTANCE_ID, type EnvEntry, type ServiceSettingsChange, type ServiceSource, type ServiceSpec } from '@slipway/proto';
import { mergeEnv, withoutVar, withVar, type EnvVarsByKey } from './deployment-env';

export interface DeploymentTarget {
  projectName: string;
  serviceName: string;
  spec: ServiceSpec;
}

interface CatalogService {
  name: string;
  spec: ServiceSpec;
  env: EnvVarsByKey;
}

/** A project as a deployment needs it, folded from the project's own events. */
export interface CatalogProject {
  name?: string;
  env: EnvVarsByKey;
  services: ReadonlyMap<string, CatalogService>;
}

const applySettings = (spec: ServiceSpec, change: ServiceSettingsChange): ServiceSpec => ({
  ...spec,
  ...(change.port !== undefined ? { port: change.port } : {}),
  ...(change.replicas !== undefined ? { replicas: change.replicas } : {}),
  ...(change.resources ? { resources: change.resources } : {}),
  ...(change.healthCheck ? { healthCheck: change.healthCheck } : {}),
  ...(change.build ? { build: change.build } : {}),
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
      return { ...project, services: new Map(project.services).set(data.serviceId, { name: data.name, spec, env: createdEnv(spec) }) };
    }
    case 'ServiceSettingsChanged':
      return service(data.serviceId, (s) => ({ ...s, spec: applySettings(s.spec, data.settings as ServiceSettingsChange) }));
    case 'ServiceSourceChanged':
      return service(data.serviceId, (s) => ({ ...s, spec: { ...s.spec, source: data.source as ServiceSource } }));
    case 'ServiceDomainAdded':
    case 'ServiceDomainRemoved':
      return service(data.serviceId, (s) => ({ ...s, spec: { ...s.spec, domains: data.domains as string[] } }));
    case 'ServiceEnvVarSet':
      return service(data.serviceId, (s) => ({ ...s, env: withVar(s.env, data.variable as EnvEntry) }));
    case 'ServiceEnvVarRemoved':
      return service(data.serviceId, (s) => ({ ...s, env: withoutVar(s.env, data.key) }));
    case 'ProjectEnvVarSet':
      return { ...project, env: withVar(project.env, data.variable as EnvEntry) };
    case 'ProjectEnvVarRemoved':
      return { ...project, env: withoutVar(project.env, data.key) };
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

/** The snapshot a deployment keeps: the service's settings and the merged environment, as they are now. */
export const deploymentTarget = (project: CatalogProject, globalEnv: EnvVarsByKey, projectId: string, serviceId: string): DeploymentTarget => {
  if (!project.name) throw new DomainError('PROJECT_NOT_FOUND', `No project ${projectId}`, 'projectId');
  const service = project.services.get(serviceId);
  if (!service) throw new DomainError('SERVICE_NOT_FOUND', `Project ${project.name} has no service ${serviceId}`, 'serviceId');
  const env = mergeEnv([
    { level: 'global', vars: [...globalEnv.values()] },
    { level: 'project', vars: [...project.env.values()] },
    { level: 'service', vars: [...service.env.values()] },
  ]);
  return { projectName: project.name, serviceName: service.name, spec: { ...service.spec, env } };
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
