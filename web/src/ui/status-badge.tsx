import { clsx } from 'clsx';

const tones: Record<string, string> = {
  SUCCEEDED: 'bg-emerald-100 text-emerald-800 dark:bg-emerald-900 dark:text-emerald-200',
  FAILED: 'bg-rose-100 text-rose-800 dark:bg-rose-900 dark:text-rose-200',
  CANCELLED: 'bg-slate-200 text-slate-700 dark:bg-slate-800 dark:text-slate-300',
  BLOCKED: 'bg-orange-100 text-orange-800 dark:bg-orange-900 dark:text-orange-200',
  QUEUED: 'bg-slate-100 text-slate-700 dark:bg-slate-800 dark:text-slate-300',
  BUILDING: 'bg-amber-100 text-amber-800 dark:bg-amber-900 dark:text-amber-200',
  DEPLOYING: 'bg-sky-100 text-sky-800 dark:bg-sky-900 dark:text-sky-200',
  STOPPED: 'bg-zinc-700 text-white dark:bg-zinc-300 dark:text-zinc-900',
  RUNNING: 'bg-emerald-100 text-emerald-800 dark:bg-emerald-900 dark:text-emerald-200',
  WAITING_FOR_APPROVAL: 'bg-amber-100 text-amber-800 dark:bg-amber-900 dark:text-amber-200',
  DESTROYING: 'bg-slate-200 text-slate-700 dark:bg-slate-800 dark:text-slate-300',
  DESTROYED: 'bg-slate-100 text-slate-500 dark:bg-slate-800 dark:text-slate-400',
  NEVER_DEPLOYED: 'bg-slate-100 text-slate-500 dark:bg-slate-800 dark:text-slate-400',
};

/** A deployment's status (or a service's STOPPED state) in words and colour (never colour alone). */
export const StatusBadge = ({ status }: { status: string }) => (
  <span className={clsx('inline-flex rounded-full px-2 py-0.5 text-xs font-medium', tones[status] ?? tones.QUEUED)}>{status.replaceAll('_', ' ').toLowerCase()}</span>
);
