import type { ReactNode } from 'react';

/** What cannot be undone, apart at the bottom of a page, so it is never pressed on the way to something else. */
export const DangerZone = ({ children }: { children: ReactNode }) => (
  <section aria-label="Danger zone" className="flex flex-wrap items-center justify-between gap-3 rounded-lg border border-rose-300 p-4 dark:border-rose-900">
    <div className="min-w-0">
      <h2 className="font-medium">Danger zone</h2>
      <p className="text-sm text-slate-600 dark:text-slate-400">Deleting removes what runs for good; the audit log keeps the history.</p>
    </div>
    {children}
  </section>
);
