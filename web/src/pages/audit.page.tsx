import { useQuery, useSubscription } from '@apollo/client/react';
import { useMemo, useState } from 'react';
import { useParams } from 'react-router';
import { AuditChanged, AuditLogQuery, AuditPeople } from '../audit/audit-documents';
import { AuditTable } from '../audit/audit-table';
import { Breadcrumbs } from '../ui/breadcrumbs';
import { Button } from '../ui/button';
import { EmptyState, ErrorNotice } from '../ui/notice';

const PAGE = 50;

/** Every change in a project, newest first, a page at a time; new changes appear as they happen. */
export const Page = () => {
  const { projectId = '' } = useParams();
  const { data, loading, error, fetchMore, refetch } = useQuery(AuditLogQuery, { variables: { projectId, first: PAGE }, notifyOnNetworkStatusChange: true });
  const people = useQuery(AuditPeople, { errorPolicy: 'ignore' });
  const [more, setMore] = useState<{ loading: boolean; error: Error | null }>({ loading: false, error: null });
  const shown = data?.auditLog.entries.length ?? 0;
  // A change refetches what is on screen (up to the API's 200 a page), so loaded pages stay.
  useSubscription(AuditChanged, { onData: () => void refetch({ projectId, first: Math.min(200, Math.max(PAGE, shown)), after: null }) });

  const project = people.data?.projects.find((p) => p.id === projectId);
  const names = useMemo(() => new Map<string, string>([...(project ? [[project.id, project.name] as [string, string]] : []), ...(project?.services ?? []).map((s) => [s.id, s.name] as [string, string])]), [project]);

  const loadMore = async () => {
    const after = data?.auditLog.nextCursor;
    if (!after) return;
    setMore({ loading: true, error: null });
    try {
      await fetchMore({
        variables: { after, first: PAGE },
        updateQuery: (prev, { fetchMoreResult }) => ({
          auditLog: { ...fetchMoreResult.auditLog, entries: [...prev.auditLog.entries, ...fetchMoreResult.auditLog.entries] },
        }),
      });
      setMore({ loading: false, error: null });
    } catch (e) {
      setMore({ loading: false, error: e as Error });
    }
  };

  return (
    <div className="flex max-w-5xl flex-col gap-6">
      <div className="flex flex-col gap-2">
        <Breadcrumbs items={[{ label: 'Projects', to: '/' }, { label: project?.name ?? 'Project', to: `/projects/${projectId}` }, { label: 'Audit log' }]} />
        <h1 className="text-2xl font-semibold">Audit log</h1>
        <p className="text-sm text-slate-500 dark:text-slate-400">Every change to this project, its services and deployments, as recorded: who, what and when.</p>
      </div>
      <ErrorNotice error={error} />
      {loading && !data && <p className="text-sm text-slate-500 dark:text-slate-400">Loading…</p>}
      {data && shown === 0 && <EmptyState title="Nothing recorded yet">Changes appear here as soon as someone creates a service, deploys or changes a setting.</EmptyState>}
      {data && shown > 0 && <AuditTable rows={data.auditLog.entries} names={names} />}
      <ErrorNotice error={more.error} />
      {data?.auditLog.nextCursor && (
        <div>
          <Button variant="secondary" disabled={more.loading} onClick={loadMore}>{more.loading ? 'Loading…' : 'Load more'}</Button>
        </div>
      )}
    </div>
  );
};
