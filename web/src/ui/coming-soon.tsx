import type { ComponentType, ReactNode } from 'react';
import { Breadcrumbs } from './breadcrumbs';

/** A page whose feature is not built yet: says what will be here, that it is coming, and what to use meanwhile. */
export const ComingSoon = ({ icon: Icon, title, children, items }: { icon: ComponentType<{ size?: number; 'aria-hidden'?: boolean; className?: string }>; title: string; children: ReactNode; items: string[] }) => (
  <div className="flex max-w-3xl flex-col gap-6">
    <Breadcrumbs items={[{ label: 'Instance' }, { label: title }]} />
    <h1 className="text-2xl font-semibold">{title}</h1>
    <div className="rounded-lg border border-dashed border-slate-300 p-6 sm:p-8 dark:border-slate-700">
      <div className="flex items-start gap-4">
        <Icon size={32} aria-hidden className="shrink-0 text-slate-400" />
        <div className="flex flex-col gap-3 text-sm">
          <p className="inline-flex w-fit rounded-full bg-amber-100 px-2 py-0.5 text-xs font-medium text-amber-900 dark:bg-amber-900 dark:text-amber-100">Coming soon: not available yet</p>
          <div className="text-slate-700 dark:text-slate-300">{children}</div>
          <p className="font-medium">What will appear here:</p>
          <ul className="list-disc space-y-1 pl-5 text-slate-600 dark:text-slate-300">
            {items.map((item) => <li key={item}>{item}</li>)}
          </ul>
        </div>
      </div>
    </div>
  </div>
);
