import type { ErrorLike } from '@apollo/client';
import { useApolloClient, useMutation } from '@apollo/client/react';
import { Eye, FileInput } from 'lucide-react';
import { useState, type FormEvent } from 'react';
import type { PreviewComposeQuery } from '../graphql/graphql';
import { fieldErrorAt, unmatchedError } from '../project/field-match';
import { ProjectDetailQuery } from '../project/project-documents';
import { Button } from '../ui/button';
import { Field } from '../ui/field';
import { ErrorNotice } from '../ui/notice';
import { ComposePreviewTable, ComposeWarnings } from './compose-preview';
import { ImportComposeMutation, PreviewComposeQuery as PreviewDocument, ProjectComposeQuery } from './compose-documents';

/** Which API field paths each form field answers to (the gateway names them as in ImportComposeInput). */
const fields = {
  url: ['input.git.url', 'input.git'],
  ref: ['input.git.ref'],
  token: ['input.git.token'],
  path: ['input.path'],
};

const plural = (n: number, one: string) => `${n} ${one}${n === 1 ? '' : 's'}`;

/**
 * Services from a Compose file in a git repository, in two steps: Preview (previewCompose reads the
 * file and says what would be created, updated or deleted, creating nothing), then Import.
 * Refusals (a bind mount, a missing file…) are shown as the API words them, line breaks kept.
 */
export const ImportComposeForm = ({ projectId, onImported }: { projectId: string; onImported: (services: { id: string; name: string }[]) => void }) => {
  const client = useApolloClient();
  const [url, setUrl] = useState('');
  const [ref, setRef] = useState('main');
  const [token, setToken] = useState('');
  const [path, setPath] = useState('');
  const [missingUrl, setMissingUrl] = useState<string | null>(null);
  const [preview, setPreview] = useState<PreviewComposeQuery['previewCompose'] | null>(null);
  const [previewError, setPreviewError] = useState<ErrorLike | null>(null);
  const [previewing, setPreviewing] = useState(false);
  const [importCompose, imported] = useMutation(ImportComposeMutation, { refetchQueries: [ProjectDetailQuery, ProjectComposeQuery], awaitRefetchQueries: true });
  const error = previewError ?? imported.error;
  const err = (field: keyof typeof fields) => (field === 'url' && missingUrl) || fieldErrorAt(error, fields[field]);
  const banner = unmatchedError(error, Object.values(fields));

  const input = () => ({
    projectId,
    git: { url: url.trim(), ...(ref.trim() ? { ref: ref.trim() } : {}), ...(token ? { token } : {}) },
    ...(path.trim() ? { path: path.trim() } : {}),
  });
  /** A preview is of the fields as they were: any edit asks for a new one. */
  const edit = (set: (value: string) => void) => (e: { target: { value: string } }) => {
    set(e.target.value);
    setPreview(null);
    setPreviewError(null);
    imported.reset();
  };

  const runPreview = async (e: FormEvent) => {
    e.preventDefault();
    imported.reset();
    setPreviewError(null);
    setPreview(null);
    if (!url.trim()) {
      setMissingUrl('Give the repository URL, like https://github.com/you/app.git');
      return;
    }
    setMissingUrl(null);
    setPreviewing(true);
    try {
      const { data } = await client.query({ query: PreviewDocument, variables: { input: input() }, fetchPolicy: 'no-cache' });
      setPreview(data?.previewCompose ?? null);
    } catch (failure) {
      setPreviewError(failure as ErrorLike);
    } finally {
      setPreviewing(false);
    }
  };

  const runImport = async () => {
    const { data } = await importCompose({ variables: { input: input() } }).catch(() => ({ data: undefined }));
    if (data) onImported(data.importCompose);
  };

  const kept = preview?.services.filter((s) => s.action !== 'DELETE') ?? [];
  const deleted = preview?.services.filter((s) => s.action === 'DELETE') ?? [];

  return (
    <div className="flex flex-col gap-4">
      <form onSubmit={runPreview} noValidate className="flex flex-col gap-4" aria-label="Import from Compose">
        <div className="grid gap-3 sm:grid-cols-3">
          <div className="sm:col-span-2">
            <Field label="Repository URL" type="url" placeholder="https://github.com/you/app.git" required value={url} onChange={edit(setUrl)} error={err('url')} />
          </div>
          <Field label="Branch, tag or commit" placeholder="main" value={ref} onChange={edit(setRef)} error={err('ref')} hint="Default: main" />
          <div className="whitespace-pre-line sm:col-span-2">
            <Field label="Compose file" placeholder="compose.yaml" value={path} onChange={edit(setPath)} error={err('path')} hint="Its path in the repository; empty: compose.yaml, compose.yml, docker-compose.yaml or docker-compose.yml at the root" />
          </div>
          <Field label="Access token" type="password" autoComplete="off" value={token} onChange={edit(setToken)} error={err('token')} hint="Only for private repositories over HTTPS" />
        </div>
        {!preview && (
          <div>
            <Button type="submit" disabled={previewing}>
              <Eye size={16} aria-hidden /> {previewing ? 'Reading the file…' : 'Preview'}
            </Button>
          </div>
        )}
      </form>

      {preview && (
        <section aria-label="Preview" className="flex flex-col gap-3">
          <p className="text-sm text-slate-600 dark:text-slate-300">
            Read at commit <code title={preview.commit}>{preview.commit.slice(0, 7)}</code>: {plural(kept.length, 'service')}
            {deleted.length > 0 && `, ${deleted.length} to delete`}. Nothing is created until you import.
          </p>
          <ComposePreviewTable preview={preview} />
          <ComposeWarnings warnings={preview.warnings} />
          {deleted.length > 0 && (
            <p className="text-sm text-rose-700 dark:text-rose-300">
              Importing deletes {deleted.map((s) => s.name).join(', ')}: no longer in the file.
            </p>
          )}
          <div className="flex flex-wrap gap-2">
            <Button onClick={() => void runImport()} disabled={imported.loading || preview.services.length === 0}>
              <FileInput size={16} aria-hidden /> {imported.loading ? 'Importing…' : `Import ${plural(kept.length, 'service')}`}
            </Button>
            <Button variant="secondary" onClick={() => setPreview(null)} disabled={imported.loading}>Change the source</Button>
          </div>
        </section>
      )}
      <div className="whitespace-pre-line">
        <ErrorNotice error={banner} />
      </div>
    </div>
  );
};
