import { KeyRound, Pencil, Plus, Trash2 } from 'lucide-react';
import { useState, type FormEvent } from 'react';
import { fieldError, formError } from '../app/field-errors';
import { inputRules } from '../app/input-rules';
import { Button } from '../ui/button';
import { ConfirmDialog } from '../ui/confirm-dialog';
import { Field } from '../ui/field';
import { EmptyState, ErrorNotice } from '../ui/notice';
import { useEnvLevel, type EnvLevel } from './use-env-level';

export const MASK = '••••••';

type Draft = { key: string; value: string; secret: boolean; editing: boolean };
const blank: Draft = { key: '', value: '', secret: false, editing: false };

const about: Record<EnvLevel['scope'], { intro: string; empty: string; fallback: string }> = {
  service: {
    intro: "These are this service's own variables. Variables set for the whole project and for the whole instance (global) apply too; when the same key is set at several levels the narrower one wins: global < project < service.",
    empty: 'No variables on this service',
    fallback: "or with the project's or global value of the same key, if one is set",
  },
  project: {
    intro: "Every service of this project gets these variables. A service's own variable of the same key wins over the project's, and the project's over a global one: global < project < service.",
    empty: 'No variables for the whole project',
    fallback: "or with a global value of the same key, if one is set",
  },
  global: {
    intro: "Every service of every project on this instance gets these variables, unless its project or the service itself sets the same key: global < project < service.",
    empty: 'No global variables',
    fallback: 'unless a project or service sets the same key',
  },
};

/** One level's variables: add, change, delete; a secret's value is never shown again. Changes apply on the next deploy. */
export const EnvVarsEditor = ({ level, readOnly = false }: { level: EnvLevel; readOnly?: boolean }) => {
  const env = useEnvLevel(level);
  const [draft, setDraft] = useState<Draft | null>(null);
  const [keyProblem, setKeyProblem] = useState<string | null>(null);
  const text = about[level.scope];

  const submit = async (e: FormEvent) => {
    e.preventDefault();
    if (!draft) return;
    const problem = inputRules.envKey(draft.key);
    setKeyProblem(problem);
    if (problem) return;
    if (await env.save(draft.key.trim(), draft.value, draft.secret)) setDraft(null);
  };
  const open = (next: Draft) => {
    env.saving.reset();
    setKeyProblem(null);
    setDraft(next);
  };

  return (
    <div className="flex flex-col gap-4">
      <p className="text-sm text-slate-600 dark:text-slate-400">{text.intro} Changes take effect on the next deploy.</p>
      <ErrorNotice error={env.error} />
      <ErrorNotice error={env.removing.error} />
      {env.loading && !env.loaded && <p className="text-sm text-slate-500">Loading…</p>}
      {env.loaded && env.vars.length === 0 && !draft && (
        <EmptyState title={text.empty}>{readOnly ? 'None set.' : 'Add one (for example DATABASE_URL) below; mark it secret to store it encrypted.'}</EmptyState>
      )}
      {env.vars.length > 0 && (
        <ul className="divide-y divide-slate-200 rounded-md border border-slate-200 dark:divide-slate-800 dark:border-slate-800" aria-label="Variables">
          {env.vars.map((v) => (
            <li key={v.key} className="flex flex-wrap items-center gap-x-3 gap-y-1 px-3 py-2 text-sm">
              <span className="font-mono font-medium break-all">{v.key}</span>
              {v.secret ? (
                <span className="flex flex-wrap items-center gap-1.5 text-slate-500 dark:text-slate-400">
                  <span aria-label="secret value hidden" className="font-mono">{MASK}</span>
                  <span className="inline-flex items-center gap-1 rounded-full bg-slate-100 px-2 py-0.5 text-xs dark:bg-slate-800">
                    <KeyRound size={12} aria-hidden /> secret
                  </span>
                  <span className="text-xs">hidden: set a new value to replace it</span>
                </span>
              ) : (
                <span className="min-w-0 flex-1 basis-40 truncate font-mono text-slate-700 dark:text-slate-300" title={v.value ?? ''}>{v.value}</span>
              )}
              {!readOnly && <span className="ml-auto flex gap-1">
                <Button variant="ghost" aria-label={`Edit ${v.key}`} onClick={() => open({ key: v.key, value: v.secret ? '' : (v.value ?? ''), secret: v.secret, editing: true })}>
                  <Pencil size={14} aria-hidden /> Edit
                </Button>
                <ConfirmDialog
                  title={`Delete ${v.key}?`}
                  description={`The next deploy runs without it (${text.fallback}).`}
                  confirmLabel="Delete variable"
                  busy={env.removing.loading}
                  onConfirm={() => env.remove(v.key)}
                  trigger={
                    <Button variant="ghost" aria-label={`Delete ${v.key}`}>
                      <Trash2 size={14} aria-hidden /> Delete
                    </Button>
                  }
                />
              </span>}
            </li>
          ))}
        </ul>
      )}
      {readOnly ? (
        <p className="text-xs text-slate-500 dark:text-slate-400">An admin or owner of this project changes these.</p>
      ) : draft ? (
        <form onSubmit={submit} noValidate className="flex flex-col gap-3 rounded-md border border-slate-200 p-3 dark:border-slate-800" aria-label={draft.editing ? `Edit ${draft.key}` : 'New variable'}>
          <ErrorNotice error={formError(env.saving.error, ['input.key', 'input.value'])} />
          <Field label="Key" placeholder="DATABASE_URL" value={draft.key} readOnly={draft.editing} autoFocus={!draft.editing} spellCheck={false}
            hint="Letters, digits and '_', not starting with a digit" onChange={(e) => setDraft({ ...draft, key: e.target.value })}
            error={keyProblem ?? fieldError(env.saving.error, 'input.key')} />
          <Field label="Value" value={draft.value} autoFocus={draft.editing} spellCheck={false} autoComplete="off" type={draft.secret ? 'password' : 'text'}
            hint={draft.editing && draft.secret ? 'The current value is hidden: type a new value to replace it' : undefined}
            onChange={(e) => setDraft({ ...draft, value: e.target.value })} error={fieldError(env.saving.error, 'input.value')} />
          <label className="flex items-center gap-2 text-sm">
            <input type="checkbox" checked={draft.secret} onChange={(e) => setDraft({ ...draft, secret: e.target.checked })} className="size-4" />
            Secret: stored encrypted and never shown again
          </label>
          <div className="flex gap-2">
            <Button type="submit" disabled={env.saving.loading}>{env.saving.loading ? 'Saving…' : 'Save variable'}</Button>
            <Button variant="secondary" onClick={() => setDraft(null)}>Cancel</Button>
          </div>
        </form>
      ) : (
        <div>
          <Button variant="secondary" onClick={() => open(blank)}><Plus size={14} aria-hidden /> Add variable</Button>
        </div>
      )}
    </div>
  );
};
