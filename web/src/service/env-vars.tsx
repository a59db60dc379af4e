import { useMutation, useQuery } from '@apollo/client/react';
import { KeyRound, Pencil, Plus, Trash2 } from 'lucide-react';
import { useState, type FormEvent } from 'react';
import { fieldError, formError } from '../app/field-errors';
import { Button } from '../ui/button';
import { ConfirmDialog } from '../ui/confirm-dialog';
import { Field } from '../ui/field';
import { EmptyState, ErrorNotice } from '../ui/notice';
import { DeleteServiceEnvVar, ServiceEnvVarsQuery, SetServiceEnvVar } from './queries';

export const MASK = '••••••';

type Draft = { key: string; value: string; secret: boolean; editing: boolean };
const blank: Draft = { key: '', value: '', secret: false, editing: false };

/** The service's own variables: add, change, delete; a secret's value is never shown again. */
export const EnvVars = ({ serviceId }: { serviceId: string }) => {
  const variables = { serviceId };
  const { data, loading, error } = useQuery(ServiceEnvVarsQuery, { variables });
  // Both mutations answer the whole list: it replaces the one the query holds.
  const update = (list: NonNullable<typeof data>['envVars'] | undefined) => (cache: import('@apollo/client').ApolloCache) => {
    if (list) cache.writeQuery({ query: ServiceEnvVarsQuery, variables, data: { envVars: list } });
  };
  const [save, saving] = useMutation(SetServiceEnvVar);
  const [remove, removing] = useMutation(DeleteServiceEnvVar);
  const [draft, setDraft] = useState<Draft | null>(null);

  const submit = async (e: FormEvent) => {
    e.preventDefault();
    if (!draft) return;
    const result = await save({
      variables: { serviceId, key: draft.key.trim(), value: draft.value, secret: draft.secret },
      update: (cache, { data: d }) => update(d?.setEnvVar)(cache),
    }).catch(() => null);
    if (result?.data) setDraft(null);
  };

  const vars = data?.envVars.vars ?? [];
  return (
    <div className="flex flex-col gap-4">
      <p className="text-sm text-slate-600 dark:text-slate-400">
        These are this service's own variables. Variables set for the whole project and for the whole instance (global) apply too; when the same key is set
        at several levels the narrower one wins: global &lt; project &lt; service. Changes take effect on the next deploy.
      </p>
      <ErrorNotice error={error} />
      <ErrorNotice error={removing.error} />
      {loading && !data && <p className="text-sm text-slate-500">Loading…</p>}
      {data && vars.length === 0 && !draft && (
        <EmptyState title="No variables on this service">Add one (for example DATABASE_URL) below; mark it secret to store it encrypted.</EmptyState>
      )}
      {vars.length > 0 && (
        <ul className="divide-y divide-slate-200 rounded-md border border-slate-200 dark:divide-slate-800 dark:border-slate-800" aria-label="Variables">
          {vars.map((v) => (
            <li key={v.key} className="flex flex-wrap items-center gap-x-3 gap-y-1 px-3 py-2 text-sm">
              <span className="font-mono font-medium break-all">{v.key}</span>
              {v.secret ? (
                <span className="flex items-center gap-1.5 text-slate-500 dark:text-slate-400">
                  <span aria-label="secret value hidden" className="font-mono">{MASK}</span>
                  <span className="inline-flex items-center gap-1 rounded-full bg-slate-100 px-2 py-0.5 text-xs dark:bg-slate-800">
                    <KeyRound size={12} aria-hidden /> secret
                  </span>
                  <span className="text-xs">hidden: set a new value to replace it</span>
                </span>
              ) : (
                <span className="min-w-0 flex-1 truncate font-mono text-slate-700 dark:text-slate-300" title={v.value ?? ''}>{v.value}</span>
              )}
              <span className="ml-auto flex gap-1">
                <Button variant="ghost" aria-label={`Edit ${v.key}`} onClick={() => setDraft({ key: v.key, value: v.secret ? '' : (v.value ?? ''), secret: v.secret, editing: true })}>
                  <Pencil size={14} aria-hidden /> Edit
                </Button>
                <ConfirmDialog
                  title={`Delete ${v.key}?`}
                  description="The next deploy runs without it (or with the project's or global value of the same key, if one is set)."
                  confirmLabel="Delete variable"
                  busy={removing.loading}
                  onConfirm={() => remove({ variables: { serviceId, key: v.key }, update: (cache, { data: d }) => update(d?.deleteEnvVar)(cache) }).catch(() => null)}
                  trigger={
                    <Button variant="ghost" aria-label={`Delete ${v.key}`}>
                      <Trash2 size={14} aria-hidden /> Delete
                    </Button>
                  }
                />
              </span>
            </li>
          ))}
        </ul>
      )}
      {draft ? (
        <form onSubmit={submit} className="flex flex-col gap-3 rounded-md border border-slate-200 p-3 dark:border-slate-800" aria-label={draft.editing ? `Edit ${draft.key}` : 'New variable'}>
          <ErrorNotice error={formError(saving.error, ['input.key', 'input.value'])} />
          <Field label="Key" placeholder="DATABASE_URL" value={draft.key} readOnly={draft.editing} required autoFocus={!draft.editing} spellCheck={false}
            hint="Letters, digits and '_', not starting with a digit" onChange={(e) => setDraft({ ...draft, key: e.target.value })} error={fieldError(saving.error, 'input.key')} />
          <Field label="Value" value={draft.value} autoFocus={draft.editing} spellCheck={false} autoComplete="off" type={draft.secret ? 'password' : 'text'}
            hint={draft.editing && draft.secret ? 'The current value is hidden: type a new value to replace it' : undefined}
            onChange={(e) => setDraft({ ...draft, value: e.target.value })} error={fieldError(saving.error, 'input.value')} />
          <label className="flex items-center gap-2 text-sm">
            <input type="checkbox" checked={draft.secret} onChange={(e) => setDraft({ ...draft, secret: e.target.checked })} className="size-4" />
            Secret: stored encrypted and never shown again
          </label>
          <div className="flex gap-2">
            <Button type="submit" disabled={saving.loading || !draft.key.trim()}>{saving.loading ? 'Saving…' : 'Save variable'}</Button>
            <Button variant="secondary" onClick={() => setDraft(null)}>Cancel</Button>
          </div>
        </form>
      ) : (
        <div>
          <Button variant="secondary" onClick={() => setDraft(blank)}><Plus size={14} aria-hidden /> Add variable</Button>
        </div>
      )}
    </div>
  );
};
