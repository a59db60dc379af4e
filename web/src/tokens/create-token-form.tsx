import { useMutation } from '@apollo/client/react';
import { KeyRound } from 'lucide-react';
import { useState, type FormEvent } from 'react';
import { fieldError, formError } from '../app/field-errors';
import type { TokenScope } from '../graphql/graphql';
import { Button } from '../ui/button';
import { OnceValue } from '../ui/copy-button';
import { Field } from '../ui/field';
import { ErrorNotice } from '../ui/notice';
import { TokensCreate } from './tokens-documents';

export const scopes: { value: TokenScope; label: string; description: string }[] = [
  { value: 'READ', label: 'Read', description: 'queries and logs' },
  { value: 'DEPLOY', label: 'Deploy', description: 'also deploy and roll back' },
  { value: 'ADMIN', label: 'Admin', description: 'everything you may do' },
];

/** A date input's day (YYYY-MM-DD) as the end of that day in UTC, which the API takes as ISO. */
const endOfDay = (day: string) => (day ? new Date(`${day}T23:59:59Z`).toISOString() : undefined);

/** YYYY-MM-DD, some days from today. */
const day = (fromToday: number) => new Date(Date.now() + fromToday * 86400_000).toISOString().slice(0, 10);

/** A new API token: its value is shown this once, with Copy; only its hash is kept. */
export const CreateTokenForm = ({ onCreated }: { onCreated?: () => void }) => {
  const [name, setName] = useState('');
  const [chosen, setChosen] = useState<TokenScope[]>(['READ']);
  const [expires, setExpires] = useState('');
  const [create, { data, loading, error, reset }] = useMutation(TokensCreate);
  const created = data?.createApiToken;
  const submit = async (e: FormEvent) => {
    e.preventDefault();
    const { data: done } = await create({ variables: { name: name.trim(), scopes: chosen, expiresAt: endOfDay(expires) } }).catch(() => ({ data: undefined }));
    if (done) {
      setName('');
      onCreated?.();
    }
  };
  const scopesError = fieldError(error, 'scopes');
  return (
    <div className="flex flex-col gap-3">
      <form onSubmit={submit} noValidate className="flex flex-col gap-3" aria-label="Create an API token">
        <div className="grid gap-3 sm:grid-cols-2">
          <Field label="Name" placeholder="ci-deploy" required value={name} onChange={(e) => setName(e.target.value)} error={fieldError(error, 'name')} hint="What uses it, so you know what to revoke" />
          <Field label="Expires" type="date" min={day(1)} max={day(365)} value={expires} onChange={(e) => setExpires(e.target.value)} error={fieldError(error, 'expiresAt')} hint="Within a year; empty: in 90 days" />
        </div>
        <fieldset aria-describedby={scopesError ? 'token-scopes-error' : undefined}>
          <legend className="mb-1 text-sm font-medium">Scopes</legend>
          <div className="flex flex-wrap gap-x-5 gap-y-1">
            {scopes.map((s) => (
              <label key={s.value} className="flex items-center gap-2 text-sm">
                <input
                  type="checkbox"
                  checked={chosen.includes(s.value)}
                  onChange={(e) => setChosen(e.target.checked ? [...chosen, s.value] : chosen.filter((c) => c !== s.value))}
                  className="size-4 accent-sky-600"
                />
                <span><span className="font-medium">{s.label}</span> <span className="text-slate-500 dark:text-slate-400">({s.description})</span></span>
              </label>
            ))}
          </div>
          {scopesError && <p id="token-scopes-error" className="mt-1 text-xs text-rose-600 dark:text-rose-400">{scopesError}</p>}
        </fieldset>
        <ErrorNotice error={formError(error, ['name', 'scopes', 'expiresAt'])} />
        <div>
          <Button type="submit" disabled={loading || !name.trim()}><KeyRound size={16} aria-hidden /> {loading ? 'Creating…' : 'Create token'}</Button>
        </div>
      </form>
      {created && (
        <div role="status" className="flex flex-col gap-2 rounded-md border border-amber-300 bg-amber-50 p-3 dark:border-amber-700 dark:bg-amber-950">
          <OnceValue label={`Token ${created.apiToken.name}`} value={created.token} />
          <p className="text-xs text-amber-900 dark:text-amber-200">
            Copy it now: you will not see it again. Send it as <code>Authorization: Bearer …</code>.
          </p>
          <div>
            <Button variant="secondary" onClick={() => reset()}>Done, I have copied it</Button>
          </div>
        </div>
      )}
    </div>
  );
};
