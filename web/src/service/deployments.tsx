import { useMutation } from '@apollo/client/react';
import { History } from 'lucide-react';
import { Link, useNavigate } from 'react-router';
import { duration, when } from '../deployment/format';
import { useNow } from '../deployment/timeline';
import { Button } from '../ui/button';
import { ConfirmDialog } from '../ui/confirm-dialog';
import { EmptyState, ErrorNotice } from '../ui/notice';
import { StatusBadge } from '../ui/status-badge';
import type { ServiceDeploymentsPageQuery } from '../graphql/graphql';
import { CancelDeployment, cancellable } from '../lifecycle/cancel-deployment';
import { RollbackServiceMutation } from './queries';

type Deployment = ServiceDeploymentsPageQuery['deploymentsPage']['deployments'][number];

/** A rollback builds nothing: it shows the commit it brought back. */
const commitText = (d: Deployment) => {
  const restored = d.rollbackOf?.commitSha;
  if (d.strategy === 'rollback' || d.rollbackOf) return restored ? `rollback to ${restored.slice(0, 7)}` : 'rollback';
  return d.commitSha ? d.commitSha.slice(0, 7) : '—';
};

/** Newest first; every earlier successful one (not what is serving now) can be rolled back to. */
export const Deployments = ({ serviceId, projectId, stopped = false, deployments, currentId, hasMore, loadingMore, onLoadMore }: {
  serviceId: string;
  projectId: string;
  /** the service is stopped: what served last serves nothing now */
  stopped?: boolean;
  deployments: Deployment[];
  currentId: string | null;
  hasMore: boolean;
  loadingMore: boolean;
  onLoadMore: () => void;
}) => {
  const navigate = useNavigate();
  const [rollback, rolling] = useMutation(RollbackServiceMutation);
  const now = useNow(deployments.some((d) => !d.finishedAt));
  // What serves now cannot be rolled back to: neither the live deployment nor another one of the same image.
  const liveImage = deployments.find((d) => d.id === currentId)?.imageRef ?? null;
  const isLive = (d: Deployment) => d.id === currentId || (liveImage !== null && d.imageRef === liveImage);
  if (deployments.length === 0)
    return <EmptyState title="Not deployed yet">Press Deploy above: Slipway builds the source and rolls it out, and the log shows every step.</EmptyState>;
  return (
    <div className="flex flex-col gap-3">
      <ErrorNotice error={rolling.error && { message: `Rollback refused: ${rolling.error.message.replace(/^\[GraphQL\] /, '')}` }} />
      <ul className="divide-y divide-slate-200 rounded-md border border-slate-200 dark:divide-slate-800 dark:border-slate-800" aria-label="Deployments">
        {deployments.map((d) => (
          <li key={d.id} className="flex flex-wrap items-center gap-x-4 gap-y-1 px-3 py-2.5 text-sm">
            <StatusBadge status={d.status} />
            <Link to={`/deployments/${d.id}`} className="font-medium hover:underline">
              {when(d.createdAt)}
              <span className="sr-only"> deployment, open its log</span>
            </Link>
            {d.id === currentId && <span className="rounded-full bg-emerald-50 px-2 py-0.5 text-xs text-emerald-800 ring-1 ring-emerald-300 dark:bg-emerald-950 dark:text-emerald-200 dark:ring-emerald-800">{stopped ? 'served last (stopped)' : 'serving now'}</span>}
            <span className="text-slate-600 tabular-nums dark:text-slate-400" title="Duration">{duration(d.createdAt, d.finishedAt, now)}{!d.finishedAt && ' so far'}</span>
            <span className="font-mono text-xs text-slate-600 dark:text-slate-400" title={d.rollbackOf ? 'The commit this rollback restored' : 'Commit'}>{commitText(d)}</span>
            <span className="min-w-0 truncate text-slate-600 dark:text-slate-400">by {d.triggeredByEmail ?? `the platform (${d.trigger})`}</span>
            {d.error && <span className="w-full truncate text-xs text-rose-700 dark:text-rose-300" title={d.error}>{d.error}</span>}
            {cancellable(d.status) && (
              <span className="ml-auto"><CancelDeployment deploymentId={d.id} projectId={projectId} label={`Cancel the deployment of ${when(d.createdAt)}`} /></span>
            )}
            {d.status === 'SUCCEEDED' && !isLive(d) && (
              <span className="ml-auto">
                <ConfirmDialog
                  title="Roll back to this deployment?"
                  description={`Slipway redeploys the exact image built on ${when(d.createdAt)}${d.commitSha ? ` (commit ${d.commitSha.slice(0, 7)})` : ''}, without rebuilding. The current settings and variables apply.`}
                  confirmLabel="Roll back"
                  tone="primary"
                  busy={rolling.loading}
                  onConfirm={async () => {
                    const r = await rollback({ variables: { serviceId, to: d.id } }).catch(() => null);
                    if (r?.data) navigate(`/deployments/${r.data.rollbackService.id}`);
                  }}
                  trigger={
                    <Button variant="secondary" aria-label={`Roll back to the deployment of ${when(d.createdAt)}`}>
                      <History size={14} aria-hidden /> Rollback
                    </Button>
                  }
                />
              </span>
            )}
          </li>
        ))}
      </ul>
      {hasMore && (
        <div>
          <Button variant="secondary" onClick={onLoadMore} disabled={loadingMore}>{loadingMore ? 'Loading…' : 'Load more'}</Button>
        </div>
      )}
    </div>
  );
};
