import type { EventStore } from '@slipway/event-store';
import { normalizeRepositoryUrl, type SealedSecret, type ServiceSource } from '@slipway/proto';

/** A project's services and where each is built from: the preview service's own fold of the project stream. */
export type ServiceSources = Map<string, { name: string; source: ServiceSource }>;

export const foldServiceSources = (events: { type: string; data: Record<string, unknown> }[]): ServiceSources => {
  const services: ServiceSources = new Map();
  for (const { type, data } of events) {
    const serviceId = String(data.serviceId);
    switch (type) {
      case 'ServiceCreated': {
        const spec = data.spec as { source: ServiceSource };
        services.set(serviceId, { name: String(data.name), source: spec.source });
        break;
      }
      case 'ServiceSourceChanged': {
        const known = services.get(serviceId);
        if (known) services.set(serviceId, { ...known, source: data.source as ServiceSource });
        break;
      }
      case 'ServiceDeleted':
        services.delete(serviceId);
        break;
      default:
        break;
    }
  }
  return services;
};

export const loadServiceSources = async (store: EventStore, projectId: string): Promise<ServiceSources> =>
  foldServiceSources((await store.read({ context: 'project', aggregate: 'project', id: projectId })).events);

export type CommentToken =
  | { kind: 'token'; serviceName: string; cloneUrl: string; previewToken: SealedSecret }
  | { kind: 'missing'; reason: string };

/**
 * The token to comment with: the one sealed for the preview service on a git source built from
 * the preview's repository (the first by name that has one). Without one, what to do about it.
 */
export const commentTokenFor = (services: ServiceSources, repositoryUrl: string): CommentToken => {
  const repo = normalizeRepositoryUrl(repositoryUrl);
  const fromRepo = [...services.values()]
    .filter((s): s is { name: string; source: Extract<ServiceSource, { kind: 'git' }> } => s.source.kind === 'git' && normalizeRepositoryUrl(s.source.url) === repo)
    .sort((a, b) => a.name.localeCompare(b.name));
  for (const { name, source } of fromRepo) {
    const credentials = source.credentials;
    if (credentials?.kind === 'token' && credentials.previewToken) return { kind: 'token', serviceName: name, cloneUrl: source.url, previewToken: credentials.previewToken };
  }
  const named = fromRepo[0]?.name;
  // A token set before previews existed was sealed for the build service only.
  const older = fromRepo.find((s) => s.source.credentials?.kind === 'token')?.name;
  return {
    kind: 'missing',
    reason: older
      ? `Set the token on the git source of ${older} again so Slipway can comment on pull requests (it was set before previews)`
      : named
      ? `Set a token on the git source of ${named} so Slipway can comment on pull requests`
      : `No service of the project is built from ${repositoryUrl}: add one with a token on its git source so Slipway can comment on pull requests`,
  };
};
