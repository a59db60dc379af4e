import { useMutation, useQuery } from '@apollo/client/react';
import { useId, useState, type FormEvent } from 'react';
import { problemsOf } from '../app/input-rules';
import type { ServiceEditValuesQuery, UpdateServiceSettingsInput } from '../graphql/graphql';
import { fieldErrorAt, unmatchedError } from '../project/field-match';
import { uploadArchive } from '../project/upload-archive';
import { Button } from '../ui/button';
import { Field } from '../ui/field';
import { ErrorNotice } from '../ui/notice';
import { EditSourceFields, type SourceKind, type SourceValues } from './edit-source-fields';
import { ServiceEditQuery, UpdateServiceMutation } from './lifecycle-documents';

type Service = ServiceEditValuesQuery['projects'][number]['services'][number];

/** Which API field paths each form field answers to (the gateway puts them in extensions.field). */
const FIELDS = {
  name: ['input.name', 'name'],
  port: ['input.port', 'port'],
  healthCheckPath: ['healthCheck.path', 'healthCheck', 'healthCheckPath'],
  command: ['input.command', 'command'],
  url: ['git.url', 'source.url'],
  ref: ['git.ref', 'source.ref'],
  token: ['git.token', 'credentials.token', 'credentials'],
  image: ['image.ref', 'source.image', 'image'],
  archive: ['archive.id', 'archive', 'archiveId'],
};
type FieldName = keyof typeof FIELDS;

/** The service as it is, read when the tab opens; the form starts from it. */
export const EditService = ({ serviceId, readOnly }: { serviceId: string; readOnly: boolean }) => {
  const { data, loading, error } = useQuery(ServiceEditQuery);
  const service = data?.projects.flatMap((p) => p.services).find((s) => s.id === serviceId);
  if (loading && !data) return <p className="text-sm text-slate-500">Loading…</p>;
  if (!service) return <ErrorNotice error={error ?? { message: 'The service could not be read: reload the page in a moment.' }} />;
  if (readOnly) return <p className="text-sm text-slate-600 dark:text-slate-400">Editing a service is for admins and owners of the project.</p>;
  return <EditServiceForm key={serviceId} service={service} />;
};

const startingValues = (s: Service) => ({
  name: s.name,
  port: String(s.port),
  healthCheckPath: s.healthCheck.kind === 'HTTP' ? (s.healthCheck.path ?? '') : '',
  command: s.command.join('\n'),
  source: { kind: s.source.kind as SourceKind, url: s.source.url ?? '', ref: s.source.ref ?? '', token: '', image: s.source.image ?? '', file: null } as SourceValues,
});

/** Name, source, port, health check and command: only what changed is sent; the next deployment applies it. */
export const EditServiceForm = ({ service }: { service: Service }) => {
  const [form, setForm] = useState(() => startingValues(service));
  const [problems, setProblems] = useState<Partial<Record<FieldName, string>>>({});
  const [uploadProgress, setUploadProgress] = useState<number | null>(null);
  const [saved, setSaved] = useState(false);
  const [update, { loading, error, reset }] = useMutation(UpdateServiceMutation);
  const initial = startingValues(service);
  const change = (next: Partial<typeof form>) => {
    setSaved(false);
    setForm({ ...form, ...next });
  };
  const errorOf = (field: FieldName) => problems[field] ?? fieldErrorAt(error, FIELDS[field]);

  const sourceInput = async (): Promise<UpdateServiceSettingsInput['source'] | undefined> => {
    const s = form.source;
    const was = initial.source;
    if (s.kind === 'git' && (s.kind !== was.kind || s.url.trim() !== was.url || s.ref.trim() !== was.ref || s.token))
      return { git: { url: s.url.trim(), ...(s.ref.trim() ? { ref: s.ref.trim() } : {}), ...(s.token ? { token: s.token } : {}) } };
    if (s.kind === 'image' && (s.kind !== was.kind || s.image.trim() !== was.image)) return { image: { ref: s.image.trim() } };
    if (s.kind === 'archive' && s.file) {
      setUploadProgress(0);
      try {
        return { archive: { id: await uploadArchive(s.file, service.projectId, setUploadProgress) } };
      } finally {
        setUploadProgress(null);
      }
    }
    return undefined;
  };

  const submit = async (e: FormEvent) => {
    e.preventDefault();
    reset();
    setSaved(false);
    const s = form.source;
    const found: Partial<Record<FieldName, string>> = problemsOf({ name: ['name', form.name], port: ['port', form.port], healthCheckPath: ['healthCheckPath', form.healthCheckPath] });
    if (s.kind === 'git' && !s.url.trim()) found.url = 'Repository URL is needed';
    if (s.kind === 'image' && !s.image.trim()) found.image = 'Image is needed, like nginx:1.27';
    if (s.kind === 'archive' && initial.source.kind !== 'archive' && !s.file) found.archive = 'Choose a .tar.gz or .zip file of your source';
    setProblems(found);
    if (Object.keys(found).length) return;
    let source: UpdateServiceSettingsInput['source'];
    try {
      source = await sourceInput();
    } catch (failure) {
      setProblems({ archive: (failure as Error).message });
      return;
    }
    const input: UpdateServiceSettingsInput = {};
    if (form.name.trim() !== initial.name) input.name = form.name.trim();
    if (form.port.trim() !== initial.port) input.port = Number(form.port);
    if (form.healthCheckPath.trim() !== initial.healthCheckPath)
      input.healthCheck = form.healthCheckPath.trim() ? { kind: 'HTTP', path: form.healthCheckPath.trim() } : { kind: 'TCP' };
    if (form.command !== initial.command) input.command = form.command.split('\n').map((a) => a.trim()).filter(Boolean);
    if (source) input.source = source;
    if (Object.keys(input).length === 0) {
      setProblems({});
      setSaved(true);
      return;
    }
    const r = await update({ variables: { id: service.id, input } }).catch(() => null);
    if (r?.data) {
      setForm({ ...form, source: { ...form.source, token: '', file: null } });
      setSaved(true);
    }
  };

  return (
    <form onSubmit={submit} noValidate aria-label="Edit service" className="flex max-w-2xl flex-col gap-5">
      <p className="text-sm text-slate-600 dark:text-slate-400">Saved now; the next deployment applies the changes (a new name also changes its address).</p>
      <ErrorNotice error={unmatchedError(error, Object.values(FIELDS))} />
      <div className="grid gap-4 sm:grid-cols-3">
        <Field label="Name" value={form.name} onChange={(e) => change({ name: e.target.value })} error={errorOf('name')} hint="Lower-case letters, digits and '-'" />
        <Field label="Port" type="number" inputMode="numeric" min={1} max={65535} value={form.port} onChange={(e) => change({ port: e.target.value })} error={errorOf('port')} hint="The port your app listens on" />
        <Field label="Health check path" placeholder="/healthz" value={form.healthCheckPath} onChange={(e) => change({ healthCheckPath: e.target.value })} error={errorOf('healthCheckPath')} hint="Empty: the port is checked" />
      </div>
      <EditSourceFields
        values={form.source}
        onChange={(next) => change({ source: { ...form.source, ...next } })}
        hasCredentials={Boolean(service.source.hasCredentials)}
        errorOf={errorOf}
        uploadProgress={uploadProgress}
      />
      <CommandField value={form.command} onChange={(command) => change({ command })} error={errorOf('command')} />
      <div className="flex flex-wrap items-center gap-3">
        <Button type="submit" disabled={loading || uploadProgress !== null}>{loading ? 'Saving…' : 'Save changes'}</Button>
        <Button variant="secondary" onClick={() => { setForm(startingValues(service)); setProblems({}); setSaved(false); reset(); }}>Reset</Button>
        {saved && <p role="status" className="text-sm text-emerald-700 dark:text-emerald-400">Saved: the next deployment applies it.</p>}
      </div>
    </form>
  );
};

const CommandField = ({ value, onChange, error }: { value: string; onChange: (v: string) => void; error: string | null }) => {
  const id = useId();
  return (
  <div className="flex flex-col gap-1">
    <label htmlFor={id} className="text-sm font-medium">Command</label>
    <textarea
      id={id}
      rows={3}
      value={value}
      onChange={(e) => onChange(e.target.value)}
      placeholder={'node\nserver.js'}
      spellCheck={false}
      aria-invalid={Boolean(error)}
      aria-describedby={`${id}-hint`}
      className="rounded-md border border-slate-300 bg-white px-2.5 py-1.5 font-mono text-sm dark:border-slate-700 dark:bg-slate-900"
    />
    {error ? (
      <p id={`${id}-hint`} className="text-xs text-rose-600 dark:text-rose-400">{error}</p>
    ) : (
      <p id={`${id}-hint`} className="text-xs text-slate-500 dark:text-slate-400">One argument per line, run without a shell. Empty: the image's own command.</p>
    )}
  </div>
  );
};
