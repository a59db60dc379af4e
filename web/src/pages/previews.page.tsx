import { useMutation, useQuery, useSubscription } from '@apollo/client/react';
import { useState, type FormEvent } from 'react';
import { Link, useParams } from 'react-router';
import { PreviewCard } from '../previews/preview-card';
import { CreatePreviewMutation, PreviewProjectsQuery, PreviewsPageQuery, PreviewUpdated } from '../previews/previews-documents';
import { Breadcrumbs } from '../ui/breadcrumbs';
import { Button } from '../ui/button';
import { Field } from '../ui/field';
import { Card, EmptyState, ErrorNotice } from '../ui/notice';

/** Without a project: pick one. */
const ProjectPicker = () => {
  const { data, error } = useQuery(PreviewProjectsQuery);
  return (
    <div className="flex max-w-4xl flex-col gap-6">
      <h1 className="text-2xl font-semibold">Previews</h1>
      <ErrorNotice error={error} />
      {data && data.projects.length === 0 && <EmptyState title="No projects yet">Create a project first; its previews show here.</EmptyState>}
      <ul className="flex flex-col gap-2" aria-label="Projects">
        {data?.projects.map((p) => (
          <li key={p.id}>
            <Link to={`/projects/${p.id}/previews`} className="underline">{p.name}</Link>
          </li>
        ))}
      </ul>
    </div>
  );
};

/** A project's preview environments, live: one per pull request, or per branch asked for here. */
const ProjectPreviews = ({ projectId }: { projectId: string }) => {
  const { data, loading, error, refetch } = useQuery(PreviewsPageQuery, { variables: { projectId } });
  useSubscription(PreviewUpdated, { variables: { projectId }, onData: () => void refetch() });
  const [ref, setRef] = useState('');
  const [create, creating] = useMutation(CreatePreviewMutation, { onCompleted: () => { setRef(''); void refetch(); } });
  const project = data?.projects.find((p) => p.id === projectId);
  const submit = (e: FormEvent) => {
    e.preventDefault();
    void create({ variables: { projectId, ref } }).catch(() => undefined);
  };
  return (
    <div className="flex max-w-4xl flex-col gap-6">
      <div className="flex flex-col gap-2">
        <Breadcrumbs items={[{ label: 'Projects', to: '/' }, { label: project?.name ?? 'Project', to: `/projects/${projectId}` }, { label: 'Previews' }]} />
        <h1 className="text-2xl font-semibold">Previews</h1>
      </div>
      <Card>
        <form className="flex flex-wrap items-end gap-3" onSubmit={submit} aria-label="Preview a branch">
          <div className="min-w-0 flex-1 basis-56">
            <Field label="Preview a branch" name="ref" placeholder="feature/checkout" value={ref} onChange={(e) => setRef(e.target.value)} required />
          </div>
          <Button type="submit" disabled={creating.loading || !ref.trim()}>{creating.loading ? 'Starting…' : 'Preview'}</Button>
        </form>
        <ErrorNotice error={creating.error} />
      </Card>
      <ErrorNotice error={error} />
      {loading && !data && <p className="text-sm text-slate-500 dark:text-slate-400">Loading…</p>}
      {data && data.previews.length === 0 && (
        <EmptyState title="No previews yet">Open a pull request on a repository this project builds (with its webhook set up), or preview a branch above.</EmptyState>
      )}
      {data && data.previews.length > 0 && (
        <ul className="divide-y divide-slate-200 rounded-lg border border-slate-200 bg-white dark:divide-slate-800 dark:border-slate-800 dark:bg-slate-900" aria-label="Previews">
          {data.previews.map((p) => <PreviewCard key={p.id} preview={p} onChanged={() => void refetch()} />)}
        </ul>
      )}
    </div>
  );
};

export const Page = () => {
  const { projectId } = useParams();
  return projectId ? <ProjectPreviews projectId={projectId} /> : <ProjectPicker />;
};
