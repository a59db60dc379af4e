import { clsx } from 'clsx';
import { Archive, Box, GitBranch } from 'lucide-react';
import { useId } from 'react';
import { Field } from '../ui/field';

export type SourceKind = 'git' | 'image' | 'archive';
export type SourceValues = { kind: SourceKind; url: string; ref: string; token: string; image: string; file: File | null };

const kinds: { kind: SourceKind; label: string; icon: typeof GitBranch }[] = [
  { kind: 'git', label: 'Git repository', icon: GitBranch },
  { kind: 'image', label: 'Container image', icon: Box },
  { kind: 'archive', label: 'Archive upload', icon: Archive },
];

/** Where the service's code comes from: a git repository, an image, or a new archive upload. */
export const EditSourceFields = ({ values, onChange, hasCredentials, errorOf, uploadProgress }: {
  values: SourceValues;
  onChange: (next: Partial<SourceValues>) => void;
  hasCredentials: boolean;
  errorOf: (field: 'url' | 'ref' | 'token' | 'image' | 'archive') => string | null;
  uploadProgress: number | null;
}) => {
  const group = useId();
  return (
    <fieldset className="flex flex-col gap-3">
      <legend className="mb-1 text-sm font-semibold">Source</legend>
      <div className="grid gap-2 sm:grid-cols-3">
        {kinds.map(({ kind, label, icon: Icon }) => (
          <label
            key={kind}
            className={clsx(
              'flex cursor-pointer items-center gap-2 rounded-md border p-2.5 text-sm has-[:focus-visible]:outline-2 has-[:focus-visible]:outline-sky-600',
              values.kind === kind ? 'border-sky-600 bg-sky-50 dark:border-sky-500 dark:bg-sky-950' : 'border-slate-300 hover:bg-slate-50 dark:border-slate-700 dark:hover:bg-slate-800',
            )}
          >
            <input type="radio" name={`${group}-kind`} value={kind} checked={values.kind === kind} onChange={() => onChange({ kind })} className="sr-only" />
            <Icon size={16} aria-hidden className="shrink-0" /> {label}
          </label>
        ))}
      </div>
      {values.kind === 'git' && (
        <div className="grid gap-3 sm:grid-cols-2">
          <div className="sm:col-span-2">
            <Field label="Repository URL" value={values.url} onChange={(e) => onChange({ url: e.target.value })} placeholder="https://github.com/you/app.git" error={errorOf('url')} spellCheck={false} />
          </div>
          <Field label="Branch, tag or commit" value={values.ref} onChange={(e) => onChange({ ref: e.target.value })} placeholder="main" error={errorOf('ref')} />
          <Field
            label="Access token"
            type="password"
            autoComplete="off"
            value={values.token}
            onChange={(e) => onChange({ token: e.target.value })}
            error={errorOf('token')}
            hint={hasCredentials ? 'Leave empty to keep the stored one (same URL only)' : 'For a private repository over HTTPS'}
          />
        </div>
      )}
      {values.kind === 'image' && (
        <Field label="Image" value={values.image} onChange={(e) => onChange({ image: e.target.value })} placeholder="ghcr.io/you/app:1.4" error={errorOf('image')} spellCheck={false} />
      )}
      {values.kind === 'archive' && (
        <Field
          label="New archive (.tar.gz or .zip, at most 200 MB)"
          type="file"
          accept=".tar.gz,.tgz,.zip,application/gzip,application/zip"
          onChange={(e) => onChange({ file: e.target.files?.[0] ?? null })}
          error={errorOf('archive')}
          hint={uploadProgress !== null ? `Uploading… ${Math.round(uploadProgress * 100)}%` : 'Uploaded when you save'}
        />
      )}
    </fieldset>
  );
};
