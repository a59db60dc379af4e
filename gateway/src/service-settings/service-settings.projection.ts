import type { StoredEvent } from '@slipway/event-store';
import type { ServiceSettingsChange, ServiceSpec } from '@slipway/proto';
import type { ServiceView } from '../projects/projects.projection';

/** The events after ServiceCreated that change what the services read model shows. */
export const serviceSettingsEventTypes = [
  'ServiceSettingsChanged',
  'ServiceSourceChanged',
  'ServiceDomainAdded',
  'ServiceDomainRemoved',
  'ServiceVolumeAdded',
  'ServiceVolumeRemoved',
  'ServiceRenamed',
  'ServiceScaled',
  'ServiceStopped',
  'ServiceStarted',
  'ServiceDeleted',
] as const;

/** Credentials are reduced to whether there are any. */
export const toSourceView = (s: ServiceSpec['source']): ServiceView['source'] => ({
  kind: s.kind,
  url: s.kind === 'git' ? s.url : null,
  ref: s.kind === 'git' ? s.ref : null,
  image: s.kind === 'image' ? s.ref : null,
  archiveId: s.kind === 'archive' ? s.archiveId : null,
  hasCredentials: s.kind === 'git' && Boolean(s.credentials),
});

export const toHealthCheckView = (check: ServiceSpec['healthCheck']): Pick<ServiceView, 'healthCheck' | 'healthCheckPath'> => {
  const path = check.kind === 'http' ? check.path : null;
  if (check.kind === 'command') {
    const command = !check.test ? "the image's own HEALTHCHECK" : check.test.kind === 'exec' ? check.test.argv.join(' ') : check.test.command;
    return { healthCheckPath: null, healthCheck: { kind: 'COMMAND', path: null, command } };
  }
  return { healthCheckPath: path, healthCheck: { kind: check.kind === 'http' ? 'HTTP' : check.kind === 'tcp' ? 'TCP' : 'NONE', path } };
};

export const toBuildView = (build: ServiceSpec['build']): Pick<ServiceView, 'dockerfilePath' | 'buildStrategy'> => ({
  dockerfilePath: build.dockerfilePath,
  buildStrategy: (build.strategy ?? 'auto').toUpperCase() as ServiceView['buildStrategy'],
});

const withSettings = (view: ServiceView, change: ServiceSettingsChange): ServiceView => ({
  ...view,
  ...(change.port !== undefined ? { port: change.port } : {}),
  ...(change.replicas !== undefined ? { replicas: change.replicas } : {}),
  ...(change.resources ? { cpu: change.resources.cpu, memoryMb: change.resources.memoryMb } : {}),
  ...(change.healthCheck ? toHealthCheckView(change.healthCheck) : {}),
  ...(change.build ? toBuildView(change.build) : {}),
  ...(change.command ? { command: change.command } : {}),
  ...(change.dependsOn ? { dependsOn: change.dependsOn } : {}),
  ...(change.redeployDependents !== undefined ? { redeployDependents: change.redeployDependents } : {}),
});

/** A service's document after a change of its settings, source, domains, name, replicas or state, or its deletion. */
export const evolveServiceSettings = (view: ServiceView, e: StoredEvent): ServiceView => {
  switch (e.type) {
    case 'ServiceSettingsChanged':
      return withSettings(view, e.data.settings as ServiceSettingsChange);
    case 'ServiceSourceChanged':
      return { ...view, source: toSourceView(e.data.source as ServiceSpec['source']) };
    case 'ServiceDomainAdded':
    case 'ServiceDomainRemoved':
      return { ...view, domains: e.data.domains as string[] };
    case 'ServiceVolumeAdded':
    case 'ServiceVolumeRemoved':
      return { ...view, volumes: e.data.volumes as ServiceView['volumes'] };
    case 'ServiceRenamed':
      return { ...view, name: String(e.data.name) };
    case 'ServiceScaled':
      return { ...view, replicas: Number(e.data.replicas) };
    case 'ServiceStopped':
    case 'ServiceStarted':
      return { ...view, stopped: e.type === 'ServiceStopped' };
    // A tombstone, not a removal: a redelivered event can never bring the service back. Readers skip it.
    case 'ServiceDeleted':
      return { ...view, deletedAt: String(e.data.deletedAt) };
    default:
      return view;
  }
};
