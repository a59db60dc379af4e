import type { EventStore, StoredEvent } from '@slipway/event-store';
import { evolveCatalog, emptyProject, type CatalogProject } from '../deployment/service-catalog';

/** A preview as the clean-up needs it: whose it is, its slug, and whether it still runs (not torn down). */
export interface KnownPreview {
  projectId: string;
  slug: string;
  live: boolean;
}

/** One deployment as the clean-up needs it: which image it ran and how it ended. */
export interface KnownDeployment {
  deploymentId: string;
  projectId: string;
  serviceId: string;
  previewId?: string;
  imageRef?: string;
  status: 'unfinished' | 'succeeded' | 'failed';
  /** When it succeeded (the order of successful deployments), or ended. */
  endedAt?: string;
}

/** What the owner's own events say exists: every project (live or deleted), preview and deployment. */
export interface PlatformState {
  projects: ReadonlyMap<string, CatalogProject>;
  previews: ReadonlyMap<string, KnownPreview>;
  deployments: readonly KnownDeployment[];
}

const foldBy = <T>(events: StoredEvent[], initial: T | undefined, evolve: (current: T | undefined, e: StoredEvent) => T | undefined): Map<string, T> => {
  const byId = new Map<string, T>();
  for (const e of events) {
    const next = evolve(byId.get(e.aggregateId) ?? initial, e);
    if (next !== undefined) byId.set(e.aggregateId, next);
  }
  return byId;
};

export const evolveKnownPreview = (preview: KnownPreview | undefined, e: StoredEvent): KnownPreview | undefined => {
  if (e.type === 'PreviewRequested') return { projectId: String(e.data.projectId), slug: String(e.data.slug), live: true };
  if (!preview) return preview;
  // Asked to go (closed, merged, expired, destroyed): what it ran is removed by its teardown, or here.
  if (e.type === 'PreviewDestroyRequested' || e.type === 'PreviewDestroyed' || e.type === 'PreviewExpired') return { ...preview, live: false };
  return preview;
};

export const evolveKnownDeployment = (d: KnownDeployment | undefined, e: StoredEvent): KnownDeployment | undefined => {
  const data = e.data as Record<string, never>;
  switch (e.type) {
    case 'DeploymentRequested': {
      const trigger = data.trigger as { kind: string; previewId?: string };
      return { deploymentId: e.aggregateId, projectId: data.projectId, serviceId: data.serviceId, status: 'unfinished', ...(trigger.kind === 'preview' ? { previewId: trigger.previewId } : {}) };
    }
    case 'DeploymentStarted':
      return d && { ...d, imageRef: data.imageRef };
    case 'DeploymentSucceeded':
      return d && { ...d, status: 'succeeded', endedAt: data.finishedAt };
    case 'DeploymentFailed':
    case 'DeploymentCancelled':
    case 'DeploymentBlocked':
      return d && { ...d, status: 'failed', endedAt: data.finishedAt ?? e.occurredAt };
    default:
      return d;
  }
};

/** Read from the event store now: the truth every orphan is judged against. */
export const loadPlatformState = async (store: EventStore): Promise<PlatformState> => {
  const [projectEvents, previewEvents, deploymentEvents] = await Promise.all([
    store.readAll({ context: 'project', aggregate: 'project' }),
    store.readAll({ context: 'preview', aggregate: 'preview' }),
    store.readAll({ context: 'deploy', aggregate: 'deployment' }),
  ]);
  return {
    projects: foldBy<CatalogProject>(projectEvents, emptyProject, (p, e) => evolveCatalog(p ?? emptyProject, e)),
    previews: foldBy<KnownPreview>(previewEvents, undefined, evolveKnownPreview),
    deployments: [...foldBy<KnownDeployment>(deploymentEvents, undefined, evolveKnownDeployment).values()],
  };
};
