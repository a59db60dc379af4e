import { useMutation, useQuery, useSubscription } from '@apollo/client/react';
import * as Tabs from '@radix-ui/react-tabs';
import { BellRing, FileInput, GitPullRequest, History, Plus, Rocket, Users, X } from 'lucide-react';
import { useState } from 'react';
import { Link, useNavigate, useParams } from 'react-router';
import { useTabParam } from '../app/use-tab-param';
import { EnvVarsEditor } from '../env/env-vars-editor';
import { Breadcrumbs } from '../ui/breadcrumbs';
import { tabClass } from '../ui/tabs';
import { MeQuery } from '../app/session';
import { CreateServiceForm } from '../project/create-service-form';
import { ComposeOrigin } from '../compose/compose-origin';
import { ImportComposeForm } from '../compose/import-compose-form';
import { DangerZone } from '../lifecycle/danger-zone';
import { DeleteProject } from '../lifecycle/delete-project';
import { DeployProjectMutation, ProjectDetailQuery, ProjectPageChanged } from '../project/project-documents';
import { ServiceGraph } from '../project/service-graph';
import { WebhookSecret } from '../project/webhook-secret';
import { ProjectUsage } from '../quota/project-usage';
import { Button } from '../ui/button';
import { Card, EmptyState, ErrorNotice } from '../ui/notice';
import { NotFound } from './not-found.page';

const TABS = ['services', 'env', 'usage', 'webhooks'] as const;
const headerLink = 'inline-flex items-center gap-1.5 rounded-md border border-slate-300 px-3 py-1.5 text-sm hover:bg-slate-50 dark:border-slate-700 dark:hover:bg-slate-800';

/** One project: its services as a graph coloured by status, creating a service, its variables and webhooks (tabs in the URL). */
export const Page = () => {
  const { projectId = '' } = useParams();
  const navigate = useNavigate();
  const { data, loading, error, refetch } = useQuery(ProjectDetailQuery);
  const me = useQuery(MeQuery);
  useSubscription(ProjectPageChanged, { onData: () => void refetch() });
  const [creating, setCreating] = useState(false);
  const [importing, setImporting] = useState(false);
  const [deployProject, deploying] = useMutation(DeployProjectMutation);
  const [tab, setTab] = useTabParam(TABS, 'services');

  if (loading && !data) return <p className="text-sm text-slate-500 dark:text-slate-400">Loading…</p>;
  if (error && !data) return <ErrorNotice error={error} />;
  const project = data?.projects.find((p) => p.id === projectId);
  if (!project) return <NotFound what="project" hint="It may have been deleted, or you are not a member of it. Ask one of its owners for an invitation." />;

  const role = me.data?.me.instanceOwner ? 'OWNER' : me.data?.me.memberships.find((m) => m.projectId === projectId)?.role;
  // Creating services is the admin's and the owner's (manage-services); developers deploy them.
  const canManage = role === 'OWNER' || role === 'ADMIN';
  const isOwner = role === 'OWNER';
  const canDeploy = canManage || role === 'DEVELOPER';
  const nodes = project.services.map((s) => ({
    id: s.id,
    name: s.name,
    sourceKind: s.source.kind,
    status: s.state === 'STOPPED' ? 'STOPPED' : (s.latestDeployment?.status ?? 'NEVER_DEPLOYED'),
    url: s.latestDeployment?.url,
    error: s.latestDeployment?.error,
    dependsOn: s.dependsOn,
  }));
  const counts = nodes.reduce<Record<string, number>>((acc, n) => ({ ...acc, [n.status]: (acc[n.status] ?? 0) + 1 }), {});

  return (
    <div className="flex max-w-5xl flex-col gap-6">
      <div className="flex flex-col gap-3">
        <Breadcrumbs items={[{ label: 'Projects', to: '/' }, { label: project.name }]} />
        <div className="flex flex-wrap items-center justify-between gap-3">
          <div className="min-w-0">
            <h1 className="truncate text-2xl font-semibold">{project.name}</h1>
            <p className="text-sm text-slate-500 dark:text-slate-400">
              {nodes.length === 0
                ? 'No services yet'
                : `${nodes.length} service${nodes.length === 1 ? '' : 's'}${counts.FAILED ? `, ${counts.FAILED} failed` : ''}${counts.BLOCKED ? `, ${counts.BLOCKED} blocked` : ''}${counts.SUCCEEDED ? `, ${counts.SUCCEEDED} running` : ''}${counts.STOPPED ? `, ${counts.STOPPED} stopped` : ''}`}
              {role && ` · you are ${role.toLowerCase()}`}
            </p>
          </div>
          <nav aria-label="Project" className="flex flex-wrap gap-2">
            <Link to={`/projects/${project.id}/members`} className={headerLink}><Users size={16} aria-hidden /> Members</Link>
            <Link to={`/projects/${project.id}/previews`} className={headerLink}><GitPullRequest size={16} aria-hidden /> Previews</Link>
            <Link to={`/projects/${project.id}/audit`} className={headerLink}><History size={16} aria-hidden /> Audit log</Link>
            <Link to={`/projects/${project.id}/alerts`} className={headerLink}><BellRing size={16} aria-hidden /> Alerts</Link>
            {canDeploy && nodes.length > 0 && (
              <Button variant="secondary" disabled={deploying.loading} onClick={() => void deployProject({ variables: { projectId: project.id } }).catch(() => undefined)}>
                <Rocket size={16} aria-hidden /> {deploying.loading ? 'Deploying…' : 'Deploy project'}
              </Button>
            )}
            {canManage && !importing && (
              <Button variant="secondary" onClick={() => setImporting(true)}><FileInput size={16} aria-hidden /> Import from Compose</Button>
            )}
            {canManage && !creating && (
              <Button onClick={() => setCreating(true)}><Plus size={16} aria-hidden /> Create service</Button>
            )}
          </nav>
        </div>
        <ComposeOrigin projectId={project.id} />
      </div>
      <ErrorNotice error={error ?? deploying.error} />

      {importing && (
        <Card>
          <div className="mb-3 flex items-center justify-between">
            <h2 className="text-lg font-medium">Import from Compose</h2>
            <Button variant="ghost" aria-label="Close the import form" onClick={() => setImporting(false)}><X size={16} aria-hidden /></Button>
          </div>
          <ImportComposeForm projectId={project.id} onImported={() => { setImporting(false); setTab('services'); }} />
        </Card>
      )}

      {creating && (
        <Card>
          <div className="mb-3 flex items-center justify-between">
            <h2 className="text-lg font-medium">Create service</h2>
            <Button variant="ghost" aria-label="Close the form" onClick={() => setCreating(false)}><X size={16} aria-hidden /></Button>
          </div>
          <CreateServiceForm projectId={project.id} services={project.services} onCreated={(id) => navigate(`/services/${id}`)} />
        </Card>
      )}

      <Tabs.Root value={tab} onValueChange={setTab} className="flex flex-col gap-4">
        <Tabs.List aria-label="Project sections" className="flex gap-1 overflow-x-auto border-b border-slate-200 dark:border-slate-800">
          <Tabs.Trigger value="services" className={tabClass}>Services</Tabs.Trigger>
          <Tabs.Trigger value="env" className={tabClass}>Environment</Tabs.Trigger>
          <Tabs.Trigger value="usage" className={tabClass}>Usage</Tabs.Trigger>
          {isOwner && <Tabs.Trigger value="webhooks" className={tabClass}>Webhooks</Tabs.Trigger>}
        </Tabs.List>
        <Tabs.Content value="services" className="focus-visible:outline-none">
          {nodes.length === 0 ? (
            <EmptyState title="No services in this project yet">
              {canManage ? (
                <>
                  <p>Create one from a git repository, a container image or an archive of your source.</p>
                  {!creating && <Button className="mt-3" onClick={() => setCreating(true)}><Plus size={16} aria-hidden /> Create your first service</Button>}
                </>
              ) : (
                'An admin or owner of this project can create one.'
              )}
            </EmptyState>
          ) : (
            <div className="rounded-lg border border-slate-200 bg-slate-50 p-4 sm:p-6 dark:border-slate-800 dark:bg-slate-950">
              <ServiceGraph services={nodes} />
            </div>
          )}
        </Tabs.Content>
        <Tabs.Content value="env" className="focus-visible:outline-none">
          <EnvVarsEditor level={{ scope: 'project', projectId: project.id }} readOnly={!canManage} />
        </Tabs.Content>
        <Tabs.Content value="usage" className="focus-visible:outline-none">
          <ProjectUsage projectId={project.id} canEdit={Boolean(me.data?.me.instanceOwner)} />
        </Tabs.Content>
        {isOwner && (
          <Tabs.Content value="webhooks" className="focus-visible:outline-none">
            <Card>
              <h2 className="mb-2 text-lg font-medium">Git webhooks</h2>
              <WebhookSecret projectId={project.id} />
            </Card>
          </Tabs.Content>
        )}
      </Tabs.Root>
      {isOwner && <DangerZone><DeleteProject project={project} serviceCount={project.services.length} onDeleted={() => navigate('/')} /></DangerZone>}
    </div>
  );
};
