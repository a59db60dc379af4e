import type { StoredEvent } from '@slipway/event-store';
import type { EncryptedSecret, ServiceSpec } from '@slipway/proto';
import type { Projection } from '../read-models/projection';
import {
  evolveServiceSettings,
  serviceSettingsEventTypes,
  toBuildView,
  toHealthCheckView,
  toSourceView,
} from '../service-settings/service-settings.projection';

export interface ProjectView {
  id: string;
  name: string;
  createdAt: string;
  /** Sealed; used only to verify webhooks, never returned by the API. */
  webhookSecret?: EncryptedSecret;
  /** Deleted: the document stays as a tombstone (so redelivery cannot revive it) and reads as absent. */
  deletedAt?: string;
}

/** A service as people may see it: credentials are reduced to whether there are any. */
export interface ServiceView {
  id: string;
  projectId: string;
  name: string;
  source: { kind: string; url: string | null; ref: string | null; image: string | null; archiveId: string | null; hasCredentials: boolean };
  /** null: chosen at each deployment. */
  port: number | null;
  replicas: number;
  healthCheckPath: string | null;
  /** COMMAND: from a Compose file's healthcheck (`command` says what runs). */
  healthCheck: { kind: 'HTTP' | 'TCP' | 'NONE' | 'COMMAND'; path: string | null; command?: string };
  cpu: number;
  memoryMb: number;
  dockerfilePath: string;
  buildStrategy: 'AUTO' | 'DOCKERFILE' | 'NODE' | 'SPA' | 'STATIC';
  domains: string[];
  /** What the container runs instead of its image's CMD ([] or absent: the image's own). */
  command?: string[];
  /** Named volumes (issue 11); absent in documents projected before them: none. */
  volumes?: { name: string; mountPath: string }[];
  /** The ids of the services it depends on; absent before dependencies existed (none). */
  dependsOn?: string[];
  redeployDependents?: boolean;
  /** Stopped by someone: no replicas run, its hostnames show the stopped page. */
  stopped?: boolean;
  createdAt: string;
  /** Deleted: a tombstone that reads as absent. */
  deletedAt?: string;
}

/** Whether a read-model document still stands for something (deleted ones stay as tombstones). */
export const live = <T extends { deletedAt?: string | null }>(doc: T | null | undefined): doc is T => Boolean(doc && !doc.deletedAt);

export const projectsProjection: Projection<ProjectView> = {
  name: 'projects-view',
  collection: 'projects',
  sources: [{ context: 'project', aggregate: 'project' }],
  types: ['ProjectCreated', 'WebhookSecretSet', 'ProjectDeleted'],
  documentId: (e: StoredEvent) => String(e.data.projectId),
  evolve: (view, e) => {
    if (e.type === 'WebhookSecretSet') return view && { ...view, webhookSecret: e.data.secret as EncryptedSecret };
    if (e.type === 'ProjectDeleted') return view && { ...view, deletedAt: String(e.data.deletedAt) };
    return { id: String(e.data.projectId), name: String(e.data.name), createdAt: String(e.data.createdAt) };
  },
};

export const toServiceView = (projectId: string, serviceId: string, name: string, spec: ServiceSpec, createdAt: string): ServiceView => ({
  id: serviceId,
  projectId,
  name,
  source: toSourceView(spec.source),
  port: spec.port ?? null,
  replicas: spec.replicas,
  ...toHealthCheckView(spec.healthCheck),
  cpu: spec.resources.cpu,
  memoryMb: spec.resources.memoryMb,
  ...toBuildView(spec.build),
  domains: spec.domains,
  command: spec.command ?? [],
  volumes: spec.volumes ?? [],
  dependsOn: spec.dependsOn ?? [],
  redeployDependents: spec.redeployDependents ?? false,
  stopped: false,
  createdAt,
});

export const servicesProjection: Projection<ServiceView> = {
  name: 'services-view',
  // 2: settings, domains and the build strategy joined the document; 3: command, stopped, renames, deletions.
  version: 3,
  collection: 'services',
  sources: [{ context: 'project', aggregate: 'project' }],
  types: ['ServiceCreated', ...serviceSettingsEventTypes],
  documentId: (e: StoredEvent) => String(e.data.serviceId),
  evolve: (view, e) =>
    e.type === 'ServiceCreated'
      ? toServiceView(String(e.data.projectId), String(e.data.serviceId), String(e.data.name), e.data.spec as ServiceSpec, e.occurredAt)
      : view && evolveServiceSettings(view, e),
};
