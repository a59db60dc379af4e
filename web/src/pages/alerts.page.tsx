import { useMutation, useQuery, useSubscription } from '@apollo/client/react';
import { BellRing, CircleCheck } from 'lucide-react';
import { useState } from 'react';
import { useParams } from 'react-router';
import { CreateChannelForm, CreateRuleForm } from '../alerts/alert-forms';
import { AlertNotificationsSubscription, AlertsPageQuery, DeleteChannelMutation, DeleteRuleMutation, TestChannelMutation } from '../alerts/alerts-documents';
import { useProjectRole } from '../app/use-project-role';
import { Breadcrumbs } from '../ui/breadcrumbs';
import { Button } from '../ui/button';
import { Card, EmptyState, ErrorNotice } from '../ui/notice';
import { Time } from '../ui/time';

const list = 'divide-y divide-slate-200 rounded-lg border border-slate-200 bg-white dark:divide-slate-800 dark:border-slate-800 dark:bg-slate-900';
const muted = 'text-sm text-slate-500 dark:text-slate-400';
const words = (metric: string) => metric.toLowerCase().replace(/_/g, ' ');

/** A project's alerts (live), its notification channels and its rules; admins and owners change them. */
export const Page = () => {
  const { projectId = '' } = useParams();
  const { data, loading, error, refetch } = useQuery(AlertsPageQuery, { variables: { projectId } });
  const [latest, setLatest] = useState<string | null>(null);
  useSubscription(AlertNotificationsSubscription, {
    variables: { projectId },
    onData: ({ data: pushed }) => {
      const a = pushed.data?.alertNotifications;
      if (a) setLatest(`${a.status === 'FIRING' ? 'Firing' : 'Resolved'}: ${a.message}`);
      void refetch();
    },
  });
  const { can } = useProjectRole(projectId);
  const manage = can('manage-services');
  const [test, testing] = useMutation(TestChannelMutation);
  const [deleteChannel] = useMutation(DeleteChannelMutation, { onCompleted: () => void refetch() });
  const [deleteRule] = useMutation(DeleteRuleMutation, { onCompleted: () => void refetch() });
  const project = data?.projects.find((p) => p.id === projectId);
  const channelLabel = (id: string) => data?.notificationChannels.find((c) => c.id === id)?.label ?? 'a deleted channel';
  const serviceName = (id: string | null | undefined) => (id ? (project?.services.find((s) => s.id === id)?.name ?? id) : 'every service');

  return (
    <div className="flex max-w-4xl flex-col gap-6">
      <div className="flex flex-col gap-2">
        <Breadcrumbs items={[{ label: 'Projects', to: '/' }, { label: project?.name ?? 'Project', to: `/projects/${projectId}` }, { label: 'Alerts' }]} />
        <h1 className="text-2xl font-semibold">Alerts</h1>
        {latest && <p role="status" className="rounded-md bg-amber-50 px-3 py-2 text-sm text-amber-900 dark:bg-amber-950 dark:text-amber-100">{latest}</p>}
      </div>
      <ErrorNotice error={error} />
      {loading && !data && <p className={muted}>Loading…</p>}
      {data && (
        <>
          <section className="flex flex-col gap-2" aria-label="Recent alerts">
            <h2 className="text-lg font-semibold">Recent alerts</h2>
            {data.alerts.length === 0 ? (
              <EmptyState title="Nothing has fired">Alerts show here as they fire and resolve.</EmptyState>
            ) : (
              <ul className={list}>
                {data.alerts.map((a) => (
                  <li key={a.id} className="flex items-start gap-3 p-3 text-sm">
                    {a.status === 'FIRING' ? <BellRing size={18} className="mt-0.5 text-rose-600" aria-label="Firing" /> : <CircleCheck size={18} className="mt-0.5 text-emerald-600" aria-label="Resolved" />}
                    <div className="min-w-0 flex-1">
                      <p className="font-medium">{a.message}</p>
                      <p className={muted}>
                        {words(a.metric)} · fired <Time at={a.firedAt} />{a.resolvedAt && <> · resolved <Time at={a.resolvedAt} /> ({a.resolvedMessage})</>}
                      </p>
                    </div>
                  </li>
                ))}
              </ul>
            )}
          </section>

          <section className="flex flex-col gap-2" aria-label="Notification channels">
            <h2 className="text-lg font-semibold">Channels</h2>
            {manage && <Card><CreateChannelForm projectId={projectId} onCreated={() => void refetch()} /></Card>}
            <ErrorNotice error={testing.error} />
            {testing.data && <p role="status" className={muted}>Test: {testing.data.testNotificationChannel.ok ? `delivered (${testing.data.testNotificationChannel.status})` : testing.data.testNotificationChannel.reason}</p>}
            {data.notificationChannels.length === 0 ? <EmptyState title="No channels yet">A signed webhook, a Slack incoming webhook or an email address.</EmptyState> : (
              <ul className={list}>
                {data.notificationChannels.map((c) => (
                  <li key={c.id} className="flex flex-wrap items-center gap-3 p-3 text-sm">
                    <span className="rounded bg-slate-100 px-1.5 py-0.5 text-xs font-medium dark:bg-slate-800">{c.kind}</span>
                    <span className="min-w-0 flex-1 truncate">{c.label}</span>
                    {c.lastDelivery && <span className={muted}>last {c.lastDelivery.outcome}: {c.lastDelivery.ok ? 'delivered' : c.lastDelivery.reason}</span>}
                    {manage && <Button variant="secondary" disabled={testing.loading} onClick={() => void test({ variables: { id: c.id } }).catch(() => undefined)}>Send a test</Button>}
                    {manage && <Button variant="ghost" onClick={() => void deleteChannel({ variables: { id: c.id } }).catch(() => undefined)}>Delete</Button>}
                  </li>
                ))}
              </ul>
            )}
          </section>

          <section className="flex flex-col gap-2" aria-label="Alert rules">
            <h2 className="text-lg font-semibold">Rules</h2>
            {manage && <Card><CreateRuleForm projectId={projectId} services={project?.services ?? []} channels={data.notificationChannels} onCreated={() => void refetch()} /></Card>}
            {data.alertRules.length === 0 ? <EmptyState title="No rules yet">A rule watches CPU, memory, restarts, failed deployments, certificates or the host's disk.</EmptyState> : (
              <ul className={list}>
                {data.alertRules.map((r) => (
                  <li key={r.id} className="flex flex-wrap items-center gap-3 p-3 text-sm">
                    <span className="min-w-0 flex-1">
                      <span className="font-medium">{words(r.metric)}</span>
                      {r.metric !== 'DEPLOYMENT_FAILED' && ` past ${r.threshold} for ${r.forMinutes} min`} on {serviceName(r.serviceId)} → {r.channelIds.map(channelLabel).join(', ')}
                    </span>
                    {manage && <Button variant="ghost" onClick={() => void deleteRule({ variables: { id: r.id } }).catch(() => undefined)}>Delete</Button>}
                  </li>
                ))}
              </ul>
            )}
          </section>
        </>
      )}
    </div>
  );
};
