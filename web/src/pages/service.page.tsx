import { useMutation, useQuery, useSubscription } from '@apollo/client/react';
import * as Tabs from '@radix-ui/react-tabs';
import { ExternalLink, Rocket } from 'lucide-react';
import { lazy, Suspense, useEffect, useRef, useState } from 'react';
import { Link, useNavigate, useParams } from 'react-router';
import { useTabParam } from '../app/use-tab-param';
import { Breadcrumbs } from '../ui/breadcrumbs';
import { tabClass } from '../ui/tabs';
import { Button } from '../ui/button';
import { EmptyState, ErrorNotice } from '../ui/notice';
import { StatusBadge } from '../ui/status-badge';
import { Deployments } from '../service/deployments';
import { Domains } from '../service/domains';
import { EnvVars } from '../service/env-vars';
import { DeployServiceMutation, ServiceChanged, ServiceDeploymentsQuery, ServiceProjectsQuery } from '../service/queries';
import { Settings } from '../service/settings';
import { EditService } from '../lifecycle/edit-service-form';
import { ServiceActions } from '../lifecycle/service-actions';
import { ServiceStateQuery } from '../lifecycle/lifecycle-documents';
import { useProjectRole } from '../app/use-project-role';
import { Volumes } from '../volumes/volumes';
import { RuntimeLogs } from '../runtime-logs/runtime-logs';

const PAGE = 20;
const TABS = ['deployments', 'logs', 'metrics', 'edit', 'env', 'domains', 'volumes', 'settings'] as const;
/** The charts load when the tab opens. */
const ServiceMetrics = lazy(() => import('../metrics/service-metrics'));

const sourceText = (s: { kind: string; url?: string | null; ref?: string | null; image?: string | null; archiveId?: string | null }) =>
  s.kind === 'git' ? `${s.url ?? 'git'}${s.ref ? ` @ ${s.ref}` : ''}` : s.kind === 'image' ? (s.image ?? s.ref ?? 'image') : `archive ${s.archiveId ?? ''}`;

/** One service: deploy it, its deployments, variables, domains, volumes and settings, all kept live. */
export const Page = () => {
  const { serviceId = '' } = useParams();
  const navigate = useNavigate();
  const [first, setFirst] = useState(PAGE);
  const [tabValue, setTab] = useTabParam(TABS, 'deployments');
  const tabList = useRef<HTMLDivElement>(null);
  const projects = useQuery(ServiceProjectsQuery);
  const page = useQuery(ServiceDeploymentsQuery, { variables: { serviceId, first } });
  // Apart from the projects query, which is near the gateway's cost limit: state and replicas.
  const lifecycle = useQuery(ServiceStateQuery);
  // Any deployment change ticks this (at most every 250 ms): read both again.
  useSubscription(ServiceChanged, { onData: () => { void projects.refetch(); void page.refetch(); void lifecycle.refetch(); } });
  const [deploy, deploying] = useMutation(DeployServiceMutation);
  const { can, role } = useProjectRole(projects.data?.projects.find((p) => p.services.some((s) => s.id === serviceId))?.id);

  const project = projects.data?.projects.find((p) => p.services.some((s) => s.id === serviceId));
  const service = project?.services.find((s) => s.id === serviceId);
  const live = lifecycle.data?.projects.flatMap((p) => p.services).find((s) => s.id === serviceId);
  const stopped = live?.state === 'STOPPED';
  const pageData = page.data ?? page.previousData;
  const deployments = pageData?.deploymentsPage.deployments ?? [];
  // On a phone the tabs scroll sideways: bring the open one (say from ?tab=volumes) into view.
  const found = Boolean(service);
  useEffect(() => {
    tabList.current?.querySelector<HTMLElement>('[role="tab"][data-state="active"]')?.scrollIntoView?.({ block: 'nearest', inline: 'nearest' });
  }, [tabValue, found]);
  const current = deployments.find((d) => d.status === 'SUCCEEDED') ?? (service?.latestDeployment?.status === 'SUCCEEDED' ? service.latestDeployment : null);

  if (projects.loading && !projects.data) return <p className="text-sm text-slate-500">Loading…</p>;
  if (projects.error && !projects.data) return <ErrorNotice error={projects.error} />;
  if (!service || !project)
    return (
      <EmptyState title="No such service">
        It may have been removed, or it belongs to a project you are not a member of. <Link className="underline" to="/">Back to projects</Link>
      </EmptyState>
    );

  const onDeploy = async () => {
    const r = await deploy({ variables: { serviceId } }).catch(() => null);
    if (r?.data) navigate(`/deployments/${r.data.deployService.id}`);
  };

  return (
    <div className="flex max-w-6xl flex-col gap-5">
      <Breadcrumbs items={[{ label: 'Projects', to: '/' }, { label: project.name, to: `/projects/${project.id}` }, { label: service.name }]} />
      <header className="flex flex-wrap items-start gap-4">
        <div className="min-w-0 flex-1">
          <div className="flex flex-wrap items-center gap-3">
            <h1 className="text-2xl font-semibold break-all">{service.name}</h1>
            {stopped && <span data-testid="service-state"><StatusBadge status="STOPPED" /></span>}
            <StatusBadge status={service.latestDeployment?.status ?? 'NEVER_DEPLOYED'} />
          </div>
          <p className="mt-1 truncate font-mono text-xs text-slate-600 dark:text-slate-400" title={sourceText(service.source)}>
            {service.source.kind}: {sourceText(service.source)}
          </p>
          {current?.url ? (
            <a href={current.url} target="_blank" rel="noreferrer" className="mt-1 inline-flex max-w-full items-center gap-1 text-sm font-medium break-all text-sky-700 underline dark:text-sky-400">
              {current.url} <ExternalLink size={14} aria-hidden className="shrink-0" />
            </a>
          ) : (
            <p className="mt-1 text-sm text-slate-600 dark:text-slate-400">No successful deployment yet.</p>
          )}
        </div>
        <Button onClick={onDeploy} disabled={deploying.loading || stopped} title={stopped ? 'Start the service first: a stopped service is not deployed' : undefined}>
          <Rocket size={16} aria-hidden /> {deploying.loading ? 'Starting…' : 'Deploy'}
        </Button>
      </header>
      {live && <ServiceActions service={{ ...live, projectId: project.id, name: service.name }} onDeleted={() => navigate(`/projects/${project.id}`)} />}
      <ErrorNotice error={deploying.error && { message: `Could not start a deployment: ${deploying.error.message.replace(/^\[GraphQL\] /, '')}` }} />
      <Tabs.Root value={tabValue} onValueChange={setTab} className="flex flex-col gap-4">
        <Tabs.List ref={tabList} aria-label="Service" className="flex gap-1 overflow-x-auto border-b border-slate-200 dark:border-slate-800">
          <Tabs.Trigger value="deployments" className={tabClass}>Deployments</Tabs.Trigger>
          <Tabs.Trigger value="logs" className={tabClass}>Logs</Tabs.Trigger>
          <Tabs.Trigger value="metrics" className={tabClass}>Metrics</Tabs.Trigger>
          <Tabs.Trigger value="edit" className={tabClass}>Edit</Tabs.Trigger>
          <Tabs.Trigger value="env" className={tabClass}>Environment</Tabs.Trigger>
          <Tabs.Trigger value="domains" className={tabClass}>Domains</Tabs.Trigger>
          <Tabs.Trigger value="volumes" className={tabClass}>Volumes</Tabs.Trigger>
          <Tabs.Trigger value="settings" className={tabClass}>Settings</Tabs.Trigger>
        </Tabs.List>
        <Tabs.Content value="deployments" className="focus-visible:outline-none">
          <ErrorNotice error={page.error} />
          {page.loading && !pageData ? (
            <p className="text-sm text-slate-500">Loading…</p>
          ) : (
            <Deployments
              serviceId={serviceId}
              projectId={project.id}
              stopped={stopped}
              deployments={deployments}
              currentId={current?.id ?? null}
              hasMore={Boolean(pageData?.deploymentsPage.nextCursor)}
              loadingMore={page.loading}
              onLoadMore={() => setFirst(first + PAGE)}
            />
          )}
        </Tabs.Content>
        <Tabs.Content value="logs"><RuntimeLogs serviceId={serviceId} serviceName={service.name} allowed={!role || can('read-logs')} /></Tabs.Content>
        <Tabs.Content value="metrics">
          <Suspense fallback={<p className="text-sm text-slate-500">Loading…</p>}><ServiceMetrics serviceId={serviceId} /></Suspense>
        </Tabs.Content>
        <Tabs.Content value="edit"><EditService serviceId={serviceId} readOnly={!can('manage-services')} /></Tabs.Content>
        <Tabs.Content value="env"><EnvVars serviceId={serviceId} /></Tabs.Content>
        <Tabs.Content value="domains">
          <Domains serviceId={serviceId} domains={service.domains} automaticUrl={current?.url ?? null} />
        </Tabs.Content>
        <Tabs.Content value="volumes"><Volumes serviceId={serviceId} projectId={project.id} /></Tabs.Content>
        <Tabs.Content value="settings"><Settings serviceId={serviceId} /></Tabs.Content>
      </Tabs.Root>
    </div>
  );
};
