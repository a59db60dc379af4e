import { useMutation } from '@apollo/client/react';
import { clsx } from 'clsx';
import { Archive, Box, GitBranch, Plus } from 'lucide-react';
import { useId, useRef, useState, type FormEvent } from 'react';
import { inputRules } from '../app/input-rules';
import { Button } from '../ui/button';
import { Field } from '../ui/field';
import { ErrorNotice } from '../ui/notice';
import { fieldErrorAt, unmatchedError } from './field-match';
import { DependencyPicker } from './dependency-picker';
import { CreateServiceMutation } from './project-documents';
import { uploadArchive } from './upload-archive';

type SourceKind = 'git' | 'image' | 'archive';

const sources: { kind: SourceKind; label: string; icon: typeof GitBranch; hint: string }[] = [
  { kind: 'git', label: 'Git repository', icon: GitBranch, hint: 'Built from a branch, tag or commit' },
  { kind: 'image', label: 'Container image', icon: Box, hint: 'Run as it is, no build' },
  { kind: 'archive', label: 'Archive upload', icon: Archive, hint: 'A .tar.gz or .zip of the source' },
];

/** Which API field paths each form field answers to (see field-match.ts). */
const fieldsFor = (kind: SourceKind) => ({
  name: ['input.name', 'name'],
  port: ['port'],
  healthCheckPath: ['healthCheckPath', 'healthCheck.path', 'healthCheck'],
  url: ['git.url', 'source.url'],
  ref: kind === 'git' ? ['git.ref', 'source.ref'] : ['git.ref'],
  token: ['git.token', 'credentials.token', 'credentials'],
  image: kind === 'image' ? ['image.ref', 'image', 'source.ref', 'source.image'] : ['image.ref'],
  archive: ['archive.id', 'archive', 'archiveId'],
  dependsOn: ['input.dependsOn', 'dependsOn'],
});

const megabytes = (bytes: number) => `${(bytes / 1024 / 1024).toFixed(1)} MB`;

/**
 * A new service from a git URL, an image or an uploaded archive. The archive is sent first
 * (POST /archives, with progress), then the service is created with its archiveId.
 */
export const CreateServiceForm = ({
  projectId,
  onCreated,
  upload = uploadArchive,
  services = [],
}: {
  projectId: string;
  onCreated: (serviceId: string) => void;
  upload?: typeof uploadArchive;
  /** The project's services, which the new one may depend on. */
  services?: { id: string; name: string }[];
}) => {
  const [dependsOn, setDependsOn] = useState<string[]>([]);
  const [name, setName] = useState('');
  const [port, setPort] = useState('3000');
  const [healthCheckPath, setHealthCheckPath] = useState('');
  const [kind, setKind] = useState<SourceKind>('git');
  const [url, setUrl] = useState('');
  const [ref, setRef] = useState('');
  const [token, setToken] = useState('');
  const [image, setImage] = useState('');
  const [file, setFile] = useState<File | null>(null);
  const [progress, setProgress] = useState<number | null>(null);
  const [uploadError, setUploadError] = useState<string | null>(null);
  const [localErrors, setLocalErrors] = useState<Record<string, string>>({});
  const [create, { loading, error, reset }] = useMutation(CreateServiceMutation);
  const abort = useRef<AbortController | null>(null);
  const groupId = useId();
  const fields = fieldsFor(kind);
  const err = (field: keyof ReturnType<typeof fieldsFor>) => localErrors[field] ?? fieldErrorAt(error, fields[field]);
  const uploading = progress !== null && progress < 1 && !uploadError;
  const busy = loading || uploading;

  const submit = async (e: FormEvent) => {
    e.preventDefault();
    reset();
    setUploadError(null);
    const missing: Record<string, string> = {};
    const portNumber = Number(port);
    // The same checks, in the same words, as every form that asks for these values (app/input-rules).
    for (const [field, problem] of [['name', inputRules.name(name)], ['port', inputRules.port(port)], ['healthCheckPath', inputRules.healthCheckPath(healthCheckPath)]] as const) {
      if (problem) missing[field] = problem;
    }
    if (kind === 'git' && !url.trim()) missing.url = 'Give the repository URL, like https://github.com/you/app.git';
    if (kind === 'image' && !image.trim()) missing.image = 'Give an image reference, like nginx:1.27 or ghcr.io/you/app:latest';
    if (kind === 'archive' && !file) missing.archive = 'Choose a .tar.gz or .zip file of your source';
    setLocalErrors(missing);
    if (Object.keys(missing).length) return;

    let source;
    if (kind === 'git') source = { git: { url: url.trim(), ...(ref.trim() ? { ref: ref.trim() } : {}), ...(token ? { token } : {}) } };
    else if (kind === 'image') source = { image: { ref: image.trim() } };
    else {
      abort.current = new AbortController();
      setProgress(0);
      try {
        const id = await upload(file!, projectId, setProgress, abort.current.signal);
        setProgress(1);
        source = { archive: { id } };
      } catch (failure) {
        setUploadError((failure as Error).message);
        return;
      }
    }
    const input = { projectId, name: name.trim(), port: portNumber, source, ...(healthCheckPath.trim() ? { healthCheckPath: healthCheckPath.trim() } : {}), ...(dependsOn.length ? { dependsOn } : {}) };
    const { data } = await create({ variables: { input } }).catch(() => ({ data: undefined }));
    if (data) onCreated(data.createService.id);
  };

  const banner = unmatchedError(error, Object.values(fields));

  return (
    <form onSubmit={submit} noValidate className="flex flex-col gap-4" aria-label="Create service">
      <div className="grid gap-3 sm:grid-cols-3">
        <Field label="Name" placeholder="web" required value={name} onChange={(e) => setName(e.target.value)} error={err('name')} hint="Lower-case letters, digits and '-'" />
        <Field label="Port" type="number" inputMode="numeric" min={1} max={65535} required value={port} onChange={(e) => setPort(e.target.value)} error={err('port')} hint="The port your app listens on" />
        <Field label="Health check path" placeholder="/healthz" value={healthCheckPath} onChange={(e) => setHealthCheckPath(e.target.value)} error={err('healthCheckPath')} hint="Optional: without one, the port is checked" />
      </div>

      <fieldset className="flex flex-col gap-2">
        <legend className="mb-1 text-sm font-medium">Source</legend>
        <div className="grid gap-2 sm:grid-cols-3">
          {sources.map(({ kind: k, label, icon: Icon, hint }) => (
            <label
              key={k}
              className={clsx(
                'flex cursor-pointer items-start gap-2 rounded-md border p-2.5 text-sm has-[:focus-visible]:outline-2 has-[:focus-visible]:outline-sky-600',
                kind === k ? 'border-sky-600 bg-sky-50 dark:border-sky-500 dark:bg-sky-950' : 'border-slate-300 hover:bg-slate-50 dark:border-slate-700 dark:hover:bg-slate-800',
              )}
            >
              <input type="radio" name={`${groupId}-source`} value={k} checked={kind === k} onChange={() => { setKind(k); setLocalErrors({}); }} className="sr-only" />
              <Icon size={18} aria-hidden className="mt-0.5 shrink-0" />
              <span>
                <span className="block font-medium">{label}</span>
                <span className="block text-xs text-slate-500 dark:text-slate-400">{hint}</span>
              </span>
            </label>
          ))}
        </div>
      </fieldset>

      {kind === 'git' && (
        <div className="grid gap-3 sm:grid-cols-3">
          <div className="sm:col-span-3">
            <Field label="Repository URL" type="url" placeholder="https://github.com/you/app.git" required value={url} onChange={(e) => setUrl(e.target.value)} error={err('url')} />
          </div>
          <Field label="Branch, tag or commit" placeholder="main" value={ref} onChange={(e) => setRef(e.target.value)} error={err('ref')} hint="Default: main" />
          <div className="sm:col-span-2">
            <Field label="Access token" type="password" autoComplete="off" value={token} onChange={(e) => setToken(e.target.value)} error={err('token')} hint="Only for private repositories over HTTPS; stored encrypted, never shown again" />
          </div>
        </div>
      )}
      {kind === 'image' && (
        <Field label="Image" placeholder="ghcr.io/you/app:1.4.2" required value={image} onChange={(e) => setImage(e.target.value)} error={err('image')} hint="Pulled and run as it is" />
      )}
      {kind === 'archive' && (
        <div className="flex flex-col gap-2">
          <Field
            label="Archive (.tar.gz or .zip, at most 200 MB)"
            type="file"
            accept=".tar.gz,.tgz,.zip,application/gzip,application/zip"
            onChange={(e) => {
              setFile(e.target.files?.[0] ?? null);
              setProgress(null);
              setUploadError(null);
            }}
            error={err('archive') ?? uploadError}
            hint={file ? `${file.name}, ${megabytes(file.size)}` : 'Your source with its Dockerfile, package.json or index.html at the top'}
          />
          {progress !== null && !uploadError && (
            <div className="flex items-center gap-2 text-xs" aria-live="polite">
              <progress className="h-2 flex-1 accent-sky-600" value={Math.round(progress * 100)} max={100} aria-label="Upload progress" />
              <span className="w-28 text-right tabular-nums">{progress < 1 ? `Uploading ${Math.round(progress * 100)} %` : 'Uploaded'}</span>
              {uploading && (
                <Button variant="ghost" onClick={() => abort.current?.abort()}>
                  Cancel
                </Button>
              )}
            </div>
          )}
        </div>
      )}

      {services.length > 0 && <DependencyPicker services={services} value={dependsOn} onChange={setDependsOn} error={err('dependsOn')} />}

      <ErrorNotice error={banner} />
      <div>
        <Button type="submit" disabled={busy || !name.trim()}>
          <Plus size={16} aria-hidden /> {uploading ? 'Uploading…' : loading ? 'Creating…' : 'Create service'}
        </Button>
      </div>
    </form>
  );
};
