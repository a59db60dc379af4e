import { useMutation, useQuery, useSubscription } from '@apollo/client/react';
import { Plus } from 'lucide-react';
import { useState, type FormEvent } from 'react';
import { Link, useNavigate } from 'react-router';
import { fieldError, formError } from '../app/field-errors';
import { MeQuery } from '../app/session';
import { gql } from '../graphql';
import { Button } from '../ui/button';
import { Field } from '../ui/field';
import { Card, EmptyState, ErrorNotice } from '../ui/notice';
import { StatusBadge } from '../ui/status-badge';

export const ProjectsQuery = gql(`
  query Projects {
    projects {
      id name
      services { id name source { kind } latestDeployment { id status url finishedAt } }
    }
  }
`);

export const ProjectsChanged = gql(`subscription ProjectsChanged { projectsChanged { at } }`);

const CreateProject = gql(`
  mutation CreateProject($name: String!) { createProject(input: { name: $name }) { id name } }
`);

const NewProject = ({ onCreated }: { onCreated: (id: string) => void }) => {
  const [name, setName] = useState('');
  const [create, { loading, error }] = useMutation(CreateProject);
  const submit = async (e: FormEvent) => {
    e.preventDefault();
    const { data } = await create({ variables: { name } }).catch(() => ({ data: undefined }));
    if (data) onCreated(data.createProject.id);
  };
  return (
    <form onSubmit={submit} className="flex flex-wrap items-end gap-2">
      <div className="min-w-64 flex-1">
        <Field label="New project" placeholder="shop" hint="Lower-case letters, digits and '-': it becomes part of every hostname" value={name} onChange={(e) => setName(e.target.value)} error={fieldError(error, 'name')} />
      </div>
      <Button type="submit" disabled={loading || !name}><Plus size={16} aria-hidden /> Create project</Button>
      <div className="w-full"><ErrorNotice error={formError(error, ['name'])} /></div>
    </form>
  );
};

/** Every project you can see, each with its services and how their latest deployment went. */
export const ProjectsPage = () => {
  const { data, loading, error, refetch } = useQuery(ProjectsQuery);
  const me = useQuery(MeQuery);
  const navigate = useNavigate();
  useSubscription(ProjectsChanged, { onData: () => void refetch() });
  return (
    <div className="flex max-w-5xl flex-col gap-6">
      <h1 className="text-2xl font-semibold">Projects</h1>
      {me.data?.me.instanceOwner && <NewProject onCreated={(id) => navigate(`/projects/${id}`)} />}
      <ErrorNotice error={error} />
      {loading && !data && <p className="text-sm text-slate-500">Loading…</p>}
      {data && data.projects.length === 0 && (
        <EmptyState title="No projects yet">
          {me.data?.me.instanceOwner ? 'Create one above, then add a service from a git repository, an image or an archive.' : 'Ask an owner or admin to invite you to a project.'}
        </EmptyState>
      )}
      <ul className="grid gap-4 md:grid-cols-2">
        {data?.projects.map((project) => (
          <li key={project.id}>
            <Card>
              <Link to={`/projects/${project.id}`} className="text-lg font-medium hover:underline">{project.name}</Link>
              {project.services.length === 0 ? (
                <p className="mt-2 text-sm text-slate-500 dark:text-slate-400">No services yet.</p>
              ) : (
                <ul className="mt-2 flex flex-col gap-1">
                  {project.services.map((service) => (
                    <li key={service.id} className="flex items-center justify-between gap-2 text-sm">
                      <Link to={`/services/${service.id}`} className="truncate hover:underline">{service.name}</Link>
                      <StatusBadge status={service.latestDeployment?.status ?? 'NEVER_DEPLOYED'} />
                    </li>
                  ))}
                </ul>
              )}
            </Card>
          </li>
        ))}
      </ul>
    </div>
  );
};
