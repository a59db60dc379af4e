import type { StoredEvent } from '@slipway/event-store';
import type { Projection } from '../read-models/projection';

export type DeploymentStatus = 'QUEUED' | 'BUILDING' | 'DEPLOYING' | 'SUCCEEDED' | 'FAILED' | 'CANCELLED' | 'BLOCKED';

export interface DeploymentView {
  id: string;
  serviceId: string;
  projectId: string;
  projectName: string;
  serviceName: string;
  status: DeploymentStatus;
  trigger: string;
  /** The preview it deploys a copy for (trigger kind 'preview'), else null; absent before previews. */
  previewId?: string | null;
  triggeredBy: string;
  url: string | null;
  imageRef: string | null;
  digest: string | null;
  commitSha: string | null;
  strategy: string | null;
  /** The deployment whose image a rollback restored; absent on documents projected before it was kept. */
  rollbackOf?: string | null;
  /** The port it runs on and why, once rolled out (absent before issue 11's port choice). */
  port?: number | null;
  portReason?: string | null;
  error: string | null;
  /** The services whose deployments it still waits for (deployProject); absent on older documents. */
  waitingFor?: string[];
  createdAt: string;
  buildStartedAt: string | null;
  rolloutStartedAt: string | null;
  finishedAt: string | null;
}

/** A service's own deployments: a preview's copies run under the service's id but are not its deployments (they show on the preview). */
export const ofService = (serviceId: string) => ({ serviceId, trigger: { $ne: 'preview' } });

// Build and deploy events come through different consumers and may arrive in either order:
// the status only ever moves forward.
const rank: Record<DeploymentStatus, number> = { QUEUED: 0, BUILDING: 1, DEPLOYING: 2, SUCCEEDED: 3, FAILED: 3, CANCELLED: 3, BLOCKED: 3 };
const advance = (view: DeploymentView, status: DeploymentStatus): DeploymentStatus =>
  rank[status] > rank[view.status] ? status : view.status;

type Data = Record<string, unknown>;
const str = (v: unknown) => (v === undefined || v === null ? null : String(v));

export const deploymentsProjection: Projection<DeploymentView> = {
  name: 'deployments-view',
  // 2: previewId, for the previews view.
  version: 2,
  collection: 'deployments',
  sources: [{ context: 'deploy', aggregate: 'deployment' }, { context: 'build', aggregate: 'build' }],
  types: [
    'DeploymentRequested',
    'DeploymentStarted',
    'DeploymentRolledOut',
    'DeploymentSucceeded',
    'DeploymentFailed',
    'DeploymentCancelled',
    'DeploymentReleased',
    'DeploymentBlocked',
    'BuildStarted',
    'BuildSucceeded',
    'BuildFailed',
  ],
  // One build per deployment: the build id is the deployment id.
  documentId: (e: StoredEvent) => str((e.data as Data).deploymentId ?? (e.data as Data).buildId) ?? undefined,
  evolve: (view, e) => {
    const d = e.data as Data;
    if (e.type === 'DeploymentRequested') {
      const trigger = d.trigger as { kind: string; imageRef?: string; toDeploymentId?: string; previewId?: string };
      return {
        id: String(d.deploymentId),
        serviceId: String(d.serviceId),
        projectId: String(d.projectId),
        projectName: String(d.projectName),
        serviceName: String(d.serviceName),
        status: view?.status ?? 'QUEUED',
        trigger: trigger.kind,
        previewId: trigger.kind === 'preview' ? (trigger.previewId ?? null) : null,
        triggeredBy: e.actor.id,
        url: view?.url ?? null,
        imageRef: view?.imageRef ?? trigger.imageRef ?? null,
        digest: view?.digest ?? null,
        commitSha: view?.commitSha ?? null,
        strategy: view?.strategy ?? (trigger.kind === 'rollback' ? 'rollback' : null),
        rollbackOf: trigger.kind === 'rollback' ? (trigger.toDeploymentId ?? null) : null,
        error: view?.error ?? null,
        // A v1 event (upcast) waits for nothing; a build event that overtook it means it was released.
        waitingFor: view ? [] : ((d.waitsFor ?? []) as { serviceName: string }[]).map((w) => w.serviceName),
        createdAt: String(d.requestedAt),
        buildStartedAt: view?.buildStartedAt ?? null,
        rolloutStartedAt: view?.rolloutStartedAt ?? null,
        finishedAt: view?.finishedAt ?? null,
      };
    }
    // A build event may overtake its DeploymentRequested: keep what it says in a placeholder.
    const v: DeploymentView = view ?? {
      id: String(d.deploymentId ?? d.buildId),
      serviceId: '',
      projectId: '',
      projectName: '',
      serviceName: '',
      status: 'QUEUED',
      trigger: 'manual',
      triggeredBy: e.actor.id,
      url: null,
      imageRef: null,
      digest: null,
      commitSha: null,
      strategy: null,
      error: null,
      createdAt: e.occurredAt,
      buildStartedAt: null,
      rolloutStartedAt: null,
      finishedAt: null,
    };
    switch (e.type) {
      case 'BuildStarted':
        return { ...v, status: advance(v, 'BUILDING'), commitSha: str(d.commitSha), strategy: str(d.strategy), buildStartedAt: e.occurredAt };
      case 'BuildSucceeded':
        return { ...v, imageRef: str(d.imageRef), digest: str(d.digest) };
      case 'BuildFailed':
        // A cancelled deployment's build stops: that is no error of the deployment's.
        return v.status === 'CANCELLED' ? v : { ...v, error: v.error ?? str(d.reason) };
      case 'DeploymentStarted':
        return { ...v, status: advance(v, 'DEPLOYING'), imageRef: str(d.imageRef), rolloutStartedAt: str(d.startedAt) };
      case 'DeploymentRolledOut': {
        const port = d.port as { number: number; reason: string } | undefined;
        return port ? { ...v, port: port.number, portReason: port.reason } : v;
      }
      case 'DeploymentSucceeded':
        return { ...v, status: advance(v, 'SUCCEEDED'), url: str(d.url), finishedAt: str(d.finishedAt) };
      case 'DeploymentFailed':
        return { ...v, status: advance(v, 'FAILED'), error: str(d.reason), finishedAt: str(d.finishedAt) };
      case 'DeploymentCancelled':
        return { ...v, status: advance(v, 'CANCELLED'), error: null, waitingFor: [], finishedAt: str(d.finishedAt) };
      case 'DeploymentReleased':
        return { ...v, waitingFor: [] };
      case 'DeploymentBlocked':
        return { ...v, status: advance(v, 'BLOCKED'), error: str(d.reason), waitingFor: [], finishedAt: str(d.finishedAt ?? e.occurredAt) };
      default:
        return v;
    }
  },
};
