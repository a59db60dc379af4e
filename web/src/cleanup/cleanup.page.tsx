import { useMutation, useQuery } from '@apollo/client/react';
import { Eraser, ScanSearch } from 'lucide-react';
import { useEffect } from 'react';
import { MeQuery } from '../app/session';
import { gql } from '../graphql';
import type { CleanupRunsQuery } from '../graphql/graphql';
import { Breadcrumbs } from '../ui/breadcrumbs';
import { Button } from '../ui/button';
import { ConfirmDialog } from '../ui/confirm-dialog';
import { Card, EmptyState, ErrorNotice } from '../ui/notice';
import { Time } from '../ui/time';

const CleanupRuns = gql(`query CleanupRuns { cleanupRuns(first: 5) { id dryRun trigger status keepDeployments startedAt finishedAt parts reclaimedBytes reason notes items { kind name bytes reason part } } }`);
const RunCleanup = gql(`mutation RunCleanup($dryRun: Boolean!) { runCleanup(dryRun: $dryRun) { id status } }`);

type Run = CleanupRunsQuery['cleanupRuns'][number];

/** "2.0 MB": sizes as people read them. */
export const formatBytes = (bytes: number) => {
  const units = ['bytes', 'KB', 'MB', 'GB', 'TB'];
  let value = bytes;
  let unit = 0;
  while (value >= 1000 && unit < units.length - 1) {
    value /= 1000;
    unit++;
  }
  return unit === 0 ? `${value} bytes` : `${value.toFixed(1)} ${units[unit]}`;
};

/** An image id is told apart by its first 12 digits, as docker prints it. */
const shortName = (name: string) => (/^sha256:[0-9a-f]{64}$/.test(name) ? name.slice(0, 19) : name);

const statusText = (run: Run) =>
  run.status === 'RUNNING' ? `Running (${run.parts.length} of 3 parts reported)` : run.status === 'FAILED' ? 'Failed' : run.dryRun ? 'Dry run finished' : 'Finished';

const Report = ({ run }: { run: Run }) => (
  <Card className="flex flex-col gap-3">
    <div className="flex flex-wrap items-baseline justify-between gap-2">
      <h2 className="font-medium">
        {statusText(run)} · {run.items.length} item(s) · {formatBytes(run.reclaimedBytes)} {run.dryRun ? 'would come back' : 'came back'}
      </h2>
      <span className="text-sm text-slate-500 dark:text-slate-400">
        {run.trigger === 'schedule' ? 'Scheduled' : 'Started by hand'} <Time at={run.startedAt} /> · keeps {run.keepDeployments} deployments per service
      </span>
    </div>
    {run.reason && <ErrorNotice error={{ message: run.reason }} />}
    {run.items.some((i) => i.kind === 'registry-tag') && (
      <p className="text-xs text-slate-500 dark:text-slate-400">A registry image's size comes back at the registry's next garbage collection.</p>
    )}
    {run.items.length === 0 ? (
      <p className="text-sm text-slate-500 dark:text-slate-400">{run.status === 'RUNNING' ? 'Nothing found yet.' : 'Nothing to remove: every image, network and service is in use.'}</p>
    ) : (
      <ul className="flex flex-col text-sm">
        {run.items.map((item) => (
          // One row per item on a wide screen; stacked on a phone, so nothing is squeezed.
          <li key={`${item.part}/${item.kind}/${item.name}`} className="grid grid-cols-[1fr_auto] gap-x-3 border-t border-slate-100 py-1.5 md:grid-cols-[8rem_minmax(0,1fr)_minmax(0,1fr)_5rem] dark:border-slate-800">
            <span className="font-medium md:font-normal">{item.kind.replace('-', ' ')}</span>
            <span className="text-right md:order-last">{item.bytes ? formatBytes(item.bytes) : '—'}</span>
            <span className="col-span-2 font-mono text-xs break-all md:col-span-1" title={item.name}>{shortName(item.name)}</span>
            <span className="col-span-2 text-slate-600 md:col-span-1 dark:text-slate-300">{item.reason}</span>
          </li>
        ))}
      </ul>
    )}
    {run.notes.length > 0 && (
      <ul className="list-disc pl-5 text-sm text-slate-500 dark:text-slate-400">
        {run.notes.map((note) => (
          <li key={note}>{note}</li>
        ))}
      </ul>
    )}
  </Card>
);

/** The clean-up: what a dry run would remove, a real run, and the last reports. The instance owner's. */
export const Page = () => {
  const me = useQuery(MeQuery);
  const owner = Boolean(me.data?.me.instanceOwner);
  const runs = useQuery(CleanupRuns, { skip: !owner });
  const running = runs.data?.cleanupRuns.some((r) => r.status === 'RUNNING');
  const [run, started] = useMutation(RunCleanup, { refetchQueries: [CleanupRuns] });
  // A run takes seconds to a minute: its report fills in as the parts report.
  useEffect(() => {
    if (running) runs.startPolling(1000);
    else runs.stopPolling();
  }, [running, runs]);
  const [latest, ...earlier] = runs.data?.cleanupRuns ?? [];
  return (
    <div className="flex max-w-5xl flex-col gap-6">
      <div className="flex flex-col gap-2">
        <Breadcrumbs items={[{ label: 'Instance' }, { label: 'Clean-up' }]} />
        <h1 className="text-2xl font-semibold">Clean-up</h1>
        <p className="text-sm text-slate-500 dark:text-slate-400">
          Removes registry images beyond each service's last successful deployments (never the current or the previous one), unused images and build caches, and what a crash left behind: Swarm
          services, networks and routes of services that no longer exist. It runs every day by itself.
        </p>
      </div>
      {me.data && !owner ? (
        <EmptyState title="Only the instance owner runs the clean-up" />
      ) : (
        <>
          <div className="flex flex-wrap gap-2">
            <Button variant="secondary" disabled={started.loading || running} onClick={() => void run({ variables: { dryRun: true } }).catch(() => undefined)}>
              <ScanSearch size={16} aria-hidden /> Dry run
            </Button>
            <ConfirmDialog
              title="Run the clean-up now?"
              description="What a dry run lists is removed for good. Images of the last deployments of each service stay, so rollbacks keep working."
              confirmLabel="Clean up"
              busy={started.loading}
              onConfirm={() => run({ variables: { dryRun: false } }).catch(() => undefined)}
              trigger={
                <Button disabled={started.loading || running}>
                  <Eraser size={16} aria-hidden /> Clean up now
                </Button>
              }
            />
          </div>
          <ErrorNotice error={started.error ?? runs.error} />
          {latest ? <Report run={latest} /> : runs.data && <EmptyState title="No clean-up yet">A dry run shows what one would remove, and removes nothing.</EmptyState>}
          {earlier.length > 0 && (
            <Card>
              <h2 className="mb-2 font-medium">Earlier runs</h2>
              <ul className="flex flex-col gap-1 text-sm">
                {earlier.map((r) => (
                  <li key={r.id}>
                    <Time at={r.startedAt} /> · {statusText(r)} · {r.items.length} item(s) · {formatBytes(r.reclaimedBytes)}
                  </li>
                ))}
              </ul>
            </Card>
          )}
        </>
      )}
    </div>
  );
};
