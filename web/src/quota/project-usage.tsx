import { useMutation, useQuery } from '@apollo/client/react';
import { useState, type FormEvent } from 'react';
import { Button } from '../ui/button';
import { Field } from '../ui/field';
import { Card, ErrorNotice } from '../ui/notice';
import { ProjectUsageQuery, SetProjectQuotaMutation } from './quota-documents';

const LIMITS = [
  { key: 'cpu', label: 'CPU', unit: 'cores', step: '0.1' },
  { key: 'memoryMb', label: 'Memory', unit: 'MB', step: '1' },
  { key: 'replicas', label: 'Replicas', unit: '', step: '1' },
  { key: 'previews', label: 'Running previews', unit: '', step: '1' },
  { key: 'storageMb', label: 'Volume storage', unit: 'MB', step: '1' },
] as const;
type Key = (typeof LIMITS)[number]['key'];
type Use = { used?: number | null; limit?: number | null };

/** One limit as a bar: green, amber past 80 %, red at the limit; no limit reads as such. */
const UsageBar = ({ label, unit, use }: { label: string; unit: string; use: Use }) => {
  const used = use.used ?? null;
  const share = use.limit && used !== null ? Math.min(1, used / use.limit) : 0;
  const colour = share >= 1 ? 'bg-rose-500' : share >= 0.8 ? 'bg-amber-500' : 'bg-emerald-500';
  const amount = (n: number | null) => (n === null ? '?' : `${Math.round(n * 100) / 100}`);
  return (
    <div className="flex flex-col gap-1">
      <div className="flex items-baseline justify-between gap-2 text-sm">
        <span className="font-medium">{label}</span>
        <span className="text-slate-600 tabular-nums dark:text-slate-300">
          {amount(used)}
          {use.limit != null ? ` of ${amount(use.limit)}` : ''} {unit}
          {use.limit == null && <span className="text-slate-500 dark:text-slate-400"> · no limit</span>}
        </span>
      </div>
      <div className="h-2 overflow-hidden rounded-full bg-slate-200 dark:bg-slate-800" role="meter" aria-label={label} aria-valuemin={0} aria-valuemax={use.limit ?? undefined} aria-valuenow={used ?? undefined}>
        <div className={`h-full ${colour}`} style={{ width: `${use.limit ? share * 100 : 0}%` }} />
      </div>
    </div>
  );
};

/** What the project uses of its limits; the instance owner edits them (an empty field: no limit). */
export const ProjectUsage = ({ projectId, canEdit }: { projectId: string; canEdit: boolean }) => {
  const { data, error, refetch } = useQuery(ProjectUsageQuery, { variables: { projectId }, pollInterval: 15_000 });
  const [setQuota, saving] = useMutation(SetProjectQuotaMutation);
  const [editing, setEditing] = useState(false);
  const [draft, setDraft] = useState<Record<Key, string>>({ cpu: '', memoryMb: '', replicas: '', previews: '', storageMb: '' });
  const usage = data?.projectUsage;

  const startEditing = () => {
    if (usage) setDraft(Object.fromEntries(LIMITS.map(({ key }) => [key, usage[key].limit == null ? '' : String(usage[key].limit)])) as Record<Key, string>);
    setEditing(true);
  };
  const save = async (event: FormEvent) => {
    event.preventDefault();
    const input = Object.fromEntries(LIMITS.filter(({ key }) => draft[key].trim() !== '').map(({ key }) => [key, Number(draft[key])]));
    await setQuota({ variables: { projectId, input } }).then(() => setEditing(false), () => undefined);
    void refetch();
  };

  return (
    <Card>
      <div className="mb-3 flex flex-wrap items-center justify-between gap-2">
        <div>
          <h2 className="text-lg font-medium">Usage and limits</h2>
          <p className="text-sm text-slate-500 dark:text-slate-400">
            CPU and memory count per replica, times replicas; stopped services count nothing. {usage && (usage.ownLimits ? 'Limits of its own.' : 'The instance’s default limits.')}
          </p>
        </div>
        {canEdit && !editing && <Button variant="secondary" onClick={startEditing}>Edit limits</Button>}
      </div>
      <ErrorNotice error={error ?? saving.error} />
      {usage && !editing && (
        <div className="grid gap-4 sm:grid-cols-2">
          {LIMITS.map(({ key, label, unit }) => <UsageBar key={key} label={label} unit={unit} use={usage[key]} />)}
        </div>
      )}
      {editing && (
        <form onSubmit={(e) => void save(e)} className="flex flex-col gap-3">
          <div className="grid gap-3 sm:grid-cols-2">
            {LIMITS.map(({ key, label, unit, step }) => (
              <Field key={key} label={`${label}${unit ? ` (${unit})` : ''}`} type="number" min="0" step={step} inputMode="decimal" placeholder="no limit" value={draft[key]} onChange={(e) => setDraft({ ...draft, [key]: e.target.value })} />
            ))}
          </div>
          <p className="text-sm text-slate-500 dark:text-slate-400">A deployment, scale or preview that would pass a limit ends failed before anything of it runs, and says which limit.</p>
          <div className="flex gap-2">
            <Button type="submit" disabled={saving.loading}>{saving.loading ? 'Saving…' : 'Save limits'}</Button>
            <Button type="button" variant="ghost" onClick={() => setEditing(false)}>Cancel</Button>
          </div>
        </form>
      )}
    </Card>
  );
};
