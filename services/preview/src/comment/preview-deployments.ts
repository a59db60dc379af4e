import type { EventStore } from '@slipway/event-store';
import type { DeploymentRequested, EventData } from '@slipway/proto';

type Request = EventData<typeof DeploymentRequested>;

/** A preview copy's deployment as the comment shows it. */
export interface ServiceDeployment {
  deploymentId: string;
  serviceId: string;
  serviceName: string;
  requestedAt: string;
  status: 'queued' | 'deploying' | 'live' | 'failed' | 'blocked' | 'cancelled';
  url?: string;
  reason?: string;
}

export const deploymentStream = (deploymentId: string) => ({ context: 'deploy' as const, aggregate: 'deployment', id: deploymentId });

/** The request of a deployment stream, when it deploys a preview's copy. */
export const previewRequestOf = (events: { type: string; data: Record<string, unknown> }[]): (Request & { trigger: { kind: 'preview' } }) | undefined => {
  const requested = events.find((e) => e.type === 'DeploymentRequested')?.data as Request | undefined;
  return requested?.trigger.kind === 'preview' ? (requested as Request & { trigger: { kind: 'preview' } }) : undefined;
};

/** One deployment stream folded: where a preview copy's deployment stands. Undefined for any other deployment. */
export const foldPreviewDeployment = (events: { type: string; data: Record<string, unknown> }[]): ServiceDeployment | undefined => {
  const request = previewRequestOf(events);
  if (!request) return undefined;
  let deployment: ServiceDeployment = {
    deploymentId: request.deploymentId,
    serviceId: request.serviceId,
    serviceName: request.serviceName,
    requestedAt: request.requestedAt,
    status: 'queued',
  };
  for (const { type, data } of events) {
    switch (type) {
      case 'DeploymentStarted':
        if (deployment.status === 'queued') deployment = { ...deployment, status: 'deploying' };
        break;
      case 'DeploymentSucceeded':
        deployment = { ...deployment, status: 'live', url: String(data.url) };
        break;
      case 'DeploymentFailed':
        deployment = { ...deployment, status: 'failed', reason: String(data.reason) };
        break;
      case 'DeploymentBlocked':
        deployment = { ...deployment, status: 'blocked', reason: String(data.reason) };
        break;
      case 'DeploymentCancelled':
        deployment = { ...deployment, status: 'cancelled' };
        break;
      default:
        break;
    }
  }
  return deployment;
};

/**
 * The latest deployment of each service copy requested since `since` (the preview's latest
 * request: a reopened pull request starts afresh), sorted by service name.
 */
export const latestPerService = (deployments: ServiceDeployment[], since: string): ServiceDeployment[] => {
  const latest = new Map<string, ServiceDeployment>();
  for (const d of deployments) {
    if (d.requestedAt < since) continue;
    const known = latest.get(d.serviceId);
    if (!known || known.requestedAt < d.requestedAt || (known.requestedAt === d.requestedAt && known.deploymentId < d.deploymentId)) latest.set(d.serviceId, d);
  }
  return [...latest.values()].sort((a, b) => a.serviceName.localeCompare(b.serviceName));
};

/**
 * Which deployments belong to which preview: read once from the deploy context's deployment
 * streams (the first time a preview is asked about after a start), then kept current from the
 * consumer's own DeploymentRequested events. Only ids are held; each comment reads the streams.
 */
export class PreviewDeploymentIndex {
  private byPreview?: Map<string, Set<string>>;
  private loading?: Promise<Map<string, Set<string>>>;
  /** Learned from events, also while the first read runs (it may have begun before they were appended). */
  private readonly learned = new Map<string, Set<string>>();

  constructor(private readonly store: EventStore) {}

  learn(previewId: string, deploymentId: string) {
    this.learned.set(previewId, (this.learned.get(previewId) ?? new Set<string>()).add(deploymentId));
  }

  async deploymentsOf(previewId: string): Promise<ServiceDeployment[]> {
    const index = await this.index();
    const ids = new Set([...(index.get(previewId) ?? []), ...(this.learned.get(previewId) ?? [])]);
    const found: ServiceDeployment[] = [];
    for (const id of ids) {
      const deployment = foldPreviewDeployment((await this.store.read(deploymentStream(id))).events);
      if (deployment) found.push(deployment);
    }
    return found;
  }

  private index(): Promise<Map<string, Set<string>>> {
    if (this.byPreview) return Promise.resolve(this.byPreview);
    this.loading ??= this.store.readAll({ context: 'deploy', aggregate: 'deployment' }).then((events) => {
      const index = new Map<string, Set<string>>();
      for (const e of events) {
        const request = e.type === 'DeploymentRequested' ? previewRequestOf([e]) : undefined;
        if (request) index.set(request.trigger.previewId, (index.get(request.trigger.previewId) ?? new Set<string>()).add(request.deploymentId));
      }
      this.byPreview = index;
      return index;
    });
    this.loading.catch(() => (this.loading = undefined));
    return this.loading;
  }
}
