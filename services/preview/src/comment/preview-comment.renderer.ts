import { createHash } from 'node:crypto';
import type { CommitState } from '../git-host/git-host.client';
import type { ServiceDeployment } from './preview-deployments';

/** What the pull request's comment shows: the preview as the preview service knows it now. */
export interface PreviewCommentView {
  status: 'waiting' | 'running' | 'destroying' | 'destroyed';
  headSha: string | null;
  /** Why it was torn down, when it was. */
  reason?: 'closed' | 'merged' | 'expired' | 'destroyed' | 'project-deleted';
  /** The latest deployment of each service copy, sorted by service name. */
  services: ServiceDeployment[];
}

const STATUS_WORDS: Record<ServiceDeployment['status'], string> = {
  queued: '⏳ queued',
  deploying: '🔨 deploying',
  live: '✅ live',
  failed: '❌ failed',
  blocked: '⛔ blocked',
  cancelled: '⚪ cancelled',
};

const REASON_WORDS: Record<NonNullable<PreviewCommentView['reason']>, string> = {
  closed: 'the pull request was closed',
  merged: 'the pull request was merged',
  expired: 'it was idle past its expiry',
  destroyed: 'a project member destroyed it',
  'project-deleted': 'the project was deleted',
};

/** A table cell: no pipes or line breaks from a host's or a build's words break the table. */
const cell = (text: string) => text.replace(/\|/g, '\\|').replace(/\s*\n\s*/g, ' ').trim();

const shortSha = (sha: string | null) => (sha ? `\`${sha.slice(0, 12)}\`` : 'its branch\'s head');

const statusCell = (service: ServiceDeployment) => {
  const words = STATUS_WORDS[service.status];
  return service.reason ? `${words}: ${cell(service.reason).slice(0, 200)}` : words;
};

/** The comment's Markdown: pure, so the same preview renders the same body (and digest) again. */
export const renderPreviewComment = (view: PreviewCommentView): string => {
  const lines = ['### Slipway preview', ''];
  if (view.status === 'destroyed' || view.status === 'destroying') {
    const reason = view.reason ? REASON_WORDS[view.reason] : 'it was closed';
    lines.push(`${view.status === 'destroyed' ? 'This preview was removed' : 'This preview is being removed'}: ${reason}.`);
    return lines.join('\n');
  }
  lines.push(`Head commit: ${shortSha(view.headSha)}`, '');
  if (view.status === 'waiting') {
    lines.push('⏸️ Waiting for approval. From a fork: a project admin approves it in Slipway before it runs with the project\'s secrets.');
    return lines.join('\n');
  }
  if (view.services.length === 0) {
    lines.push('Deployments are being planned.');
    return lines.join('\n');
  }
  lines.push('| service | status | URL |', '|---|---|---|');
  for (const service of view.services) {
    lines.push(`| ${cell(service.serviceName)} | ${statusCell(service)} | ${service.url ? `<${service.url}>` : '—'} |`);
  }
  return lines.join('\n');
};

/** The commit status of the head: pending while anything deploys, success when every service is live. */
export const commitStateOf = (view: PreviewCommentView): { state: CommitState; description: string; targetUrl?: string } | undefined => {
  if (view.status === 'destroyed' || view.status === 'destroying') return undefined;
  if (view.status === 'waiting') return { state: 'pending', description: 'Waiting for a project admin to approve this fork\'s preview' };
  const total = view.services.length;
  const live = view.services.filter((s) => s.status === 'live');
  const busy = view.services.filter((s) => s.status === 'queued' || s.status === 'deploying');
  if (total === 0) return { state: 'pending', description: 'Deployments are being planned' };
  if (busy.length > 0) return { state: 'pending', description: `Deploying: ${live.length} of ${total} services live` };
  if (live.length === total) return { state: 'success', description: `All ${total} services are live`, ...(live[0]?.url ? { targetUrl: live[0].url } : {}) };
  return { state: 'failure', description: `${total - live.length} of ${total} services did not deploy` };
};

export const commentDigest = (body: string): string => createHash('sha256').update(body).digest('hex').slice(0, 32);
