import { useQuery, useSubscription } from '@apollo/client/react';
import { ExternalLink, RotateCw } from 'lucide-react';
import { Link, useParams } from 'react-router';
import { duration, when } from '../deployment/format';
import { LogView } from '../deployment/log-view';
import { DeploymentQuery, DeploymentUpdatedSub } from '../deployment/queries';
import { Timeline } from '../deployment/timeline';
import { CancelDeployment, cancellable } from '../lifecycle/cancel-deployment';
import { useDeploymentLog } from '../deployment/use-deployment-log';
import { Breadcrumbs } from '../ui/breadcrumbs';
import { Button } from '../ui/button';
import { Card, EmptyState, ErrorNotice } from '../ui/notice';
import { StatusBadge } from '../ui/status-badge';

const waiting: Record<string, string> = {
  QUEUED: 'Waiting for a builder: the first lines appear here as soon as the build starts.',
  BUILDING: 'The build has started; its output appears here as it is written.',
  DEPLOYING: 'Rolling out; the output appears here as it is written.',
  CANCELLED: 'Cancelled before its build wrote a line.',
};

/** One deployment: how it went or is going, phase by phase, and its log as it is written. */
export const Page = () => {
  const { deploymentId = '' } = useParams();
  const { data, loading, error } = useQuery(DeploymentQuery, { variables: { id: deploymentId } });
  // The deployment now, then every change: the cache entry (and so this page) follows it.
  const live = useSubscription(DeploymentUpdatedSub, { variables: { id: deploymentId } });
  const log = useDeploymentLog(deploymentId);
  const d = live.data?.deploymentUpdated ?? data?.deployment;

  if (loading && !d) return <p className="text-sm text-slate-500">Loading…</p>;
  if (error && !d) return <ErrorNotice error={error} />;
  if (!d)
    return (
      <EmptyState title="No such deployment">
        It may belong to a project you are not a member of, or the link is wrong. <Link className="underline" to="/">Back to projects</Link>
      </EmptyState>
    );

  return (
    <div className="flex max-w-6xl flex-col gap-5">
      <Breadcrumbs
        items={[
          { label: 'Projects', to: '/' },
          { label: d.projectName ?? 'Project', to: d.projectId ? `/projects/${d.projectId}` : undefined },
          { label: d.serviceName ?? 'Service', to: `/services/${d.serviceId}` },
          { label: `Deployment ${when(d.createdAt)}` },
        ]}
      />
      <header className="flex flex-col gap-1">
        <div className="flex flex-wrap items-center gap-3">
          <h1 className="text-2xl font-semibold break-all">Deployment of {d.serviceName ?? 'a service'}</h1>
          <span data-testid="deployment-status"><StatusBadge status={d.status} /></span>
          {cancellable(d.status) && <CancelDeployment deploymentId={d.id} projectId={d.projectId} label="Cancel this deployment" />}
        </div>
        <p className="text-sm text-slate-600 dark:text-slate-400">
          {d.projectName ? <>Service <Link className="underline" to={`/services/${d.serviceId}`}>{d.serviceName}</Link> of project <Link className="underline" to={`/projects/${d.projectId}`}>{d.projectName}</Link> · </> : null}
          <span className="font-mono text-xs">{d.id}</span>
        </p>
      </header>
      <dl className="grid grid-cols-[auto_1fr] gap-x-4 gap-y-1 text-sm sm:grid-cols-[auto_1fr_auto_1fr]">
        <dt className="text-slate-500 dark:text-slate-400">Started</dt>
        <dd>{when(d.createdAt)}</dd>
        <dt className="text-slate-500 dark:text-slate-400">Took</dt>
        <dd>{d.finishedAt ? duration(d.createdAt, d.finishedAt) : 'still running'}</dd>
        <dt className="text-slate-500 dark:text-slate-400">Triggered by</dt>
        <dd className="truncate">{d.triggeredByEmail ?? `the platform (${d.trigger})`}</dd>
        <dt className="text-slate-500 dark:text-slate-400">Commit</dt>
        <dd className="truncate font-mono text-xs leading-5">
          {d.commitSha ? d.commitSha.slice(0, 12) : d.rollbackOf ? (
            <>rollback to <Link className="underline" to={`/deployments/${d.rollbackOf.id}`}>{d.rollbackOf.commitSha?.slice(0, 12) ?? 'an earlier image'}</Link></>
          ) : '—'}
        </dd>
        {d.strategy && (
          <>
            <dt className="text-slate-500 dark:text-slate-400">Strategy</dt>
            <dd>{d.strategy}</dd>
          </>
        )}
        {d.imageRef && (
          <>
            <dt className="text-slate-500 dark:text-slate-400">Image</dt>
            <dd className="truncate font-mono text-xs leading-5" title={d.imageRef}>{d.imageRef}</dd>
          </>
        )}
        {d.port != null && (
          <>
            <dt className="text-slate-500 dark:text-slate-400">Port</dt>
            <dd>{d.port}{d.portReason ? <span className="text-slate-500 dark:text-slate-400"> — {d.portReason}</span> : null}</dd>
          </>
        )}
      </dl>
      {d.status === 'SUCCEEDED' && d.url && (
        <p className="text-sm">
          Live at{' '}
          <a href={d.url} target="_blank" rel="noreferrer" className="inline-flex items-center gap-1 font-medium text-sky-700 underline dark:text-sky-400">
            {d.url} <ExternalLink size={14} aria-hidden />
          </a>
        </p>
      )}
      {d.status === 'CANCELLED' && (
        <p role="status" className="rounded-md border border-slate-300 bg-slate-50 px-3 py-2 text-sm dark:border-slate-700 dark:bg-slate-900">
          Cancelled{d.finishedAt ? ` ${when(d.finishedAt)}` : ''}: its build was stopped and nothing of it was kept. What ran before keeps running.
        </p>
      )}
      {d.error && (
        <div role="alert" className="rounded-md border border-rose-300 bg-rose-50 px-3 py-2 text-sm text-rose-800 dark:border-rose-800 dark:bg-rose-950 dark:text-rose-200">
          <p className="font-medium">This deployment failed</p>
          <p>{d.error}</p>
          <p className="mt-1 text-xs">Read the log below around the failing step, fix it, then deploy again from the service page.</p>
        </div>
      )}
      <Card>
        <h2 className="mb-3 text-lg font-medium">Timeline</h2>
        <Timeline deployment={d} />
      </Card>
      <Card>
        <h2 className="mb-3 text-lg font-medium">Log</h2>
        {log.error && (
          <div className="mb-2 flex flex-wrap items-center gap-2">
            <div className="flex-1">
              <ErrorNotice error={{ message: `The live log stopped: ${log.error.message}. Retry to carry on from the last line.` }} />
            </div>
            <Button variant="secondary" onClick={log.retry}><RotateCw size={14} aria-hidden /> Retry</Button>
          </div>
        )}
        <LogView store={log.store} fileName={`deployment-${d.id}.log`} emptyText={waiting[d.status] ?? 'No log lines were kept for this deployment (logs are kept 7 days).'} />
      </Card>
    </div>
  );
};
