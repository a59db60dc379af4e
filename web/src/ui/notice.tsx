import type { ReactNode } from 'react';

/** What went wrong and what to do, as the API said it. */
export const ErrorNotice = ({ error }: { error: { message: string } | null | undefined }) =>
  error ? (
    <div role="alert" className="rounded-md border border-rose-300 bg-rose-50 px-3 py-2 text-sm text-rose-800 dark:border-rose-800 dark:bg-rose-950 dark:text-rose-200">
      {error.message.replace(/^\[GraphQL\] /, '')}
    </div>
  ) : null;

/** An empty list says how to start. */
export const EmptyState = ({ title, children }: { title: string; children?: ReactNode }) => (
  <div className="rounded-lg border border-dashed border-slate-300 p-8 text-center dark:border-slate-700">
    <p className="font-medium">{title}</p>
    {children && <div className="mt-2 text-sm text-slate-500 dark:text-slate-400">{children}</div>}
  </div>
);

export const Card = ({ children, className = '' }: { children: ReactNode; className?: string }) => (
  <section className={`rounded-lg border border-slate-200 bg-white p-4 dark:border-slate-800 dark:bg-slate-900 ${className}`}>{children}</section>
);
