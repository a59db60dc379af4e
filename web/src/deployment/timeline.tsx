import { clsx } from 'clsx';
import { Ban, CheckCircle2, Circle, Loader2, XCircle } from 'lucide-react';
import { useEffect, useState } from 'react';
import { duration, isActive, when } from './format';

type Times = { status: string; createdAt: string; buildStartedAt?: string | null; rolloutStartedAt?: string | null; finishedAt?: string | null };

/** The time now, every second while `ticking`: running phases count up. */
export const useNow = (ticking: boolean) => {
  const [now, setNow] = useState(() => Date.now());
  useEffect(() => {
    if (!ticking) return;
    const t = setInterval(() => setNow(Date.now()), 1000);
    return () => clearInterval(t);
  }, [ticking]);
  return now;
};

type Phase = { name: string; start: string | null | undefined; end: string | null | undefined; state: 'done' | 'running' | 'failed' | 'cancelled' | 'waiting' | 'skipped' };

export const phasesOf = (d: Times): Phase[] => {
  const stoppedAs = d.status === 'CANCELLED' ? 'cancelled' : d.status === 'FAILED' || d.status === 'BLOCKED' ? 'failed' : 'done';
  const ended = Boolean(d.finishedAt);
  const phase = (name: string, start: string | null | undefined, next: string | null | undefined, later: boolean): Phase => {
    const end = next ?? (ended ? d.finishedAt : null);
    if (!start) return { name, start, end: null, state: ended || later ? 'skipped' : 'waiting' };
    if (next) return { name, start, end, state: 'done' };
    if (ended) return { name, start, end, state: stoppedAs };
    return { name, start, end: null, state: 'running' };
  };
  return [
    phase('Queued', d.createdAt, d.buildStartedAt ?? d.rolloutStartedAt, Boolean(d.buildStartedAt || d.rolloutStartedAt)),
    phase('Build', d.buildStartedAt, d.rolloutStartedAt, Boolean(d.rolloutStartedAt)),
    phase('Roll out', d.rolloutStartedAt, null, false),
  ];
};

const icons = {
  done: <CheckCircle2 size={18} className="text-emerald-600 dark:text-emerald-400" aria-hidden />,
  running: <Loader2 size={18} className="animate-spin text-sky-600 dark:text-sky-400" aria-hidden />,
  failed: <XCircle size={18} className="text-rose-600 dark:text-rose-400" aria-hidden />,
  cancelled: <Ban size={18} className="text-slate-500 dark:text-slate-400" aria-hidden />,
  waiting: <Circle size={18} className="text-slate-400" aria-hidden />,
  skipped: <Circle size={18} className="text-slate-300 dark:text-slate-600" aria-hidden />,
};
const words = { done: 'done', running: 'running', failed: 'failed', cancelled: 'cancelled', waiting: 'not started', skipped: 'skipped' };

/** Queued → Build → Roll out, each with how long it took (or has taken so far). */
export const Timeline = ({ deployment }: { deployment: Times }) => {
  const now = useNow(isActive(deployment.status));
  const phases = phasesOf(deployment);
  return (
    <div>
      <ol className="grid gap-3 sm:grid-cols-3" aria-label="Phases">
        {phases.map((p) => (
          <li key={p.name} className={clsx('flex items-start gap-2 rounded-md border p-3', p.state === 'running' ? 'border-sky-300 dark:border-sky-800' : 'border-slate-200 dark:border-slate-800')}>
            {icons[p.state]}
            <div className="text-sm">
              <p className="font-medium">
                {p.name} <span className="sr-only">({words[p.state]})</span>
              </p>
              <p className="text-slate-600 tabular-nums dark:text-slate-400">
                {p.state === 'waiting' || p.state === 'skipped' ? words[p.state] : `${duration(p.start, p.end, now) ?? ''}${p.state === 'running' ? ' so far' : ''}`}
              </p>
              {p.start && <p className="text-xs text-slate-500 dark:text-slate-400">from {when(p.start)}</p>}
            </div>
          </li>
        ))}
      </ol>
      <p className="mt-2 text-sm text-slate-600 dark:text-slate-400">
        Total: <span className="tabular-nums">{duration(deployment.createdAt, deployment.finishedAt, now)}</span>
        {!deployment.finishedAt && ' so far'}
      </p>
    </div>
  );
};
