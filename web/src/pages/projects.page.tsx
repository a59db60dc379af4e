import { useQuery, useSubscription } from '@apollo/client/react';
import { ChevronLeft, ChevronRight, Search } from 'lucide-react';
import { Link, useNavigate, useSearchParams } from 'react-router';
import { MeQuery } from '../app/session';
import { gql } from '../graphql';
import { NewProjectForm } from '../projects/new-project-form';
import { matchesSearch, pageOf } from '../projects/project-paging';
import { Breadcrumbs } from '../ui/breadcrumbs';
import { Card, EmptyState, ErrorNotice } from '../ui/notice';
import { StatusBadge } from '../ui/status-badge';

export const ProjectsQuery = gql(`
  query Projects {
    projects {
      id name
      services { id name state source { kind } latestDeployment { id status url finishedAt } }
    }
  }
`);

export const ProjectsChanged = gql(`subscription ProjectsChanged { projectsChanged { at } }`);

const pager = 'inline-flex items-center gap-1 rounded-md border border-slate-300 px-2.5 py-1.5 text-sm hover:bg-slate-50 aria-disabled:pointer-events-none aria-disabled:opacity-40 dark:border-slate-700 dark:hover:bg-slate-800';

/** Every project you can see, each with its services and how their latest deployment went; searched and paged in the URL. */
export const ProjectsPage = () => {
  const { data, loading, error, refetch } = useQuery(ProjectsQuery);
  const me = useQuery(MeQuery);
  const navigate = useNavigate();
  const [params, setParams] = useSearchParams();
  useSubscription(ProjectsChanged, { onData: () => void refetch() });
  const search = params.get('q') ?? '';
  const all = data?.projects ?? [];
  const found = all.filter((p) => matchesSearch(p, search));
  const shown = pageOf(found, Number(params.get('page') ?? 1));
  const at = (page: number) => {
    const next = new URLSearchParams(params);
    if (page > 1) next.set('page', String(page));
    else next.delete('page');
    return `?${next.toString()}`;
  };
  const onSearch = (q: string) =>
    setParams((current) => {
      const next = new URLSearchParams(current);
      if (q) next.set('q', q);
      else next.delete('q');
      next.delete('page');
      return next;
    }, { replace: true });

  return (
    <div className="flex max-w-5xl flex-col gap-6">
      <div className="flex flex-col gap-2">
        <Breadcrumbs items={[{ label: 'Projects' }]} />
        <h1 className="text-2xl font-semibold">Projects</h1>
      </div>
      {me.data?.me.instanceOwner && <NewProjectForm onCreated={(id) => navigate(`/projects/${id}`)} />}
      <ErrorNotice error={error} />
      {loading && !data && <p className="text-sm text-slate-500">Loading…</p>}
      {data && all.length === 0 && (
        <EmptyState title="No projects yet">
          {me.data?.me.instanceOwner ? 'Create one above, then add a service from a git repository, an image or an archive.' : 'Ask an owner or admin to invite you to a project.'}
        </EmptyState>
      )}
      {all.length > 0 && (
        <div className="flex flex-wrap items-center gap-3">
          <label className="relative min-w-0 flex-1 basis-60">
            <span className="sr-only">Search projects</span>
            <Search size={16} aria-hidden className="pointer-events-none absolute top-2.5 left-2.5 text-slate-400" />
            <input
              type="search"
              value={search}
              onChange={(e) => onSearch(e.target.value)}
              placeholder="Search projects and services"
              className="w-full rounded-md border border-slate-300 bg-white py-1.5 pr-2.5 pl-8 text-sm dark:border-slate-700 dark:bg-slate-900"
            />
          </label>
          <p className="text-sm text-slate-500 dark:text-slate-400" role="status">
            {found.length === 0 ? 'No project matches' : `${shown.first}–${shown.last} of ${found.length} project${found.length === 1 ? '' : 's'}`}
          </p>
        </div>
      )}
      {data && all.length > 0 && found.length === 0 && <EmptyState title={`Nothing matches “${search.trim()}”`}>Search by a project's name or one of its services' names.</EmptyState>}
      <ul className="grid gap-4 md:grid-cols-2" aria-label="Projects">
        {shown.items.map((project) => (
          <li key={project.id}>
            <Card>
              <Link to={`/projects/${project.id}`} className="text-lg font-medium break-all hover:underline">{project.name}</Link>
              {project.services.length === 0 ? (
                <p className="mt-2 text-sm text-slate-500 dark:text-slate-400">No services yet.</p>
              ) : (
                <ul className="mt-2 flex flex-col gap-1">
                  {project.services.map((service) => (
                    <li key={service.id} className="flex items-center justify-between gap-2 text-sm">
                      <Link to={`/services/${service.id}`} className="truncate hover:underline">{service.name}</Link>
                      <StatusBadge status={service.state === 'STOPPED' ? 'STOPPED' : (service.latestDeployment?.status ?? 'NEVER_DEPLOYED')} />
                    </li>
                  ))}
                </ul>
              )}
            </Card>
          </li>
        ))}
      </ul>
      {shown.pages > 1 && (
        <nav aria-label="Pages" className="flex items-center justify-between gap-3">
          <Link to={at(shown.page - 1)} className={pager} aria-disabled={shown.page === 1} rel="prev"><ChevronLeft size={16} aria-hidden /> Previous</Link>
          <span className="text-sm text-slate-600 dark:text-slate-400">Page {shown.page} of {shown.pages}</span>
          <Link to={at(shown.page + 1)} className={pager} aria-disabled={shown.page === shown.pages} rel="next">Next <ChevronRight size={16} aria-hidden /></Link>
        </nav>
      )}
    </div>
  );
};
