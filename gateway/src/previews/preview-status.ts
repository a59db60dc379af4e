import { previewCopyName } from '@slipway/proto';
import type { DeploymentView } from '../deployments/deployments.projection';
import type { PreviewView } from './previews.projection';

export type PreviewStatus = 'WAITING_FOR_APPROVAL' | 'DEPLOYING' | 'RUNNING' | 'FAILED' | 'DESTROYING' | 'DESTROYED';

export interface PreviewServiceView {
  /** The production service's name (its copy runs as `<name>-<slug>`). */
  name: string;
  url: string | null;
  status: DeploymentView['status'];
  deploymentId: string;
}

export interface PreviewWithServices extends Omit<PreviewView, 'phase'> {
  status: PreviewStatus;
  url: string | null;
  services: PreviewServiceView[];
}

/** A copy runs as previewCopyName(service, slug): the production service's name is what people know. */
const originalName = (copyName: string, slug: string) => {
  const name = copyName.slice(0, -slug.length - 1);
  return copyName === previewCopyName(name, slug) ? name : copyName;
};

/**
 * A preview as people see it: its life (the preview's events) joined with the latest deployment of
 * each of its copies (deploy's events). Deployments from before its last request (a closed and
 * reopened pull request) are an earlier life of it and do not count.
 */
export const withServices = (preview: PreviewView, deployments: readonly DeploymentView[]): PreviewWithServices => {
  const latest = new Map<string, DeploymentView>();
  for (const d of deployments) {
    if (d.previewId !== preview.id || d.createdAt < preview.createdAt) continue;
    const current = latest.get(d.serviceId);
    if (!current || current.createdAt < d.createdAt || (current.createdAt === d.createdAt && current.id < d.id)) latest.set(d.serviceId, d);
  }
  const services = [...latest.values()]
    .map((d) => ({ name: originalName(d.serviceName, preview.slug), url: d.url, status: d.status, deploymentId: d.id }))
    .sort((a, b) => a.name.localeCompare(b.name));
  const { phase, ...rest } = preview;
  return { ...rest, status: statusOf(phase, services), url: services.find((s) => s.url)?.url ?? null, services };
};

const statusOf = (phase: PreviewView['phase'], services: PreviewServiceView[]): PreviewStatus => {
  if (phase !== 'LIVE') return phase;
  if (services.some((s) => s.status === 'FAILED' || s.status === 'BLOCKED' || s.status === 'CANCELLED')) return 'FAILED';
  return services.length > 0 && services.every((s) => s.status === 'SUCCEEDED') ? 'RUNNING' : 'DEPLOYING';
};
