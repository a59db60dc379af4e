import type { StoredEvent } from '@slipway/event-store';
import type { EncryptedSecret, ServiceSpec } from '@slipway/proto';
import type { Projection } from '../read-models/projection';

export interface ProjectView {
  id: string;
  name: string;
  createdAt: string;
  /** Sealed; used only to verify webhooks, never returned by the API. */
  webhookSecret?: EncryptedSecret;
}

/** A service as people may see it: credentials are reduced to whether there are any. */
export interface ServiceView {
  id: string;
  projectId: string;
  name: string;
  source: { kind: string; url: string | null; ref: string | null; image: string | null; archiveId: string | null; hasCredentials: boolean };
  port: number;
  replicas: number;
  healthCheckPath: string | null;
  domains: string[];
  createdAt: string;
}

export const projectsProjection: Projection<ProjectView> = {
  name: 'projects-view',
  collection: 'projects',
  sources: [{ context: 'project', aggregate: 'project' }],
  types: ['ProjectCreated', 'WebhookSecretSet'],
  documentId: (e: StoredEvent) => String(e.data.projectId),
  evolve: (view, e) =>
    e.type === 'WebhookSecretSet'
      ? view && { ...view, webhookSecret: e.data.secret as EncryptedSecret }
      : { id: String(e.data.projectId), name: String(e.data.name), createdAt: String(e.data.createdAt) },
};

export const toServiceView = (projectId: string, serviceId: string, name: string, spec: ServiceSpec, createdAt: string): ServiceView => {
  const s = spec.source;
  return {
    id: serviceId,
    projectId,
    name,
    source: {
      kind: s.kind,
      url: s.kind === 'git' ? s.url : null,
      ref: s.kind === 'git' ? s.ref : null,
      image: s.kind === 'image' ? s.ref : null,
      archiveId: s.kind === 'archive' ? s.archiveId : null,
      hasCredentials: s.kind === 'git' && Boolean(s.credentials),
    },
    port: spec.port,
    replicas: spec.replicas,
    healthCheckPath: spec.healthCheck.kind === 'http' ? spec.healthCheck.path : null,
    domains: spec.domains,
    createdAt,
  };
};

export const servicesProjection: Projection<ServiceView> = {
  name: 'services-view',
  collection: 'services',
  sources: [{ context: 'project', aggregate: 'project' }],
  types: ['ServiceCreated'],
  documentId: (e: StoredEvent) => String(e.data.serviceId),
  evolve: (_view, e) =>
    toServiceView(String(e.data.projectId), String(e.data.serviceId), String(e.data.name), e.data.spec as ServiceSpec, e.occurredAt),
};
