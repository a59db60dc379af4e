import { ChevronRight } from 'lucide-react';
import { Link } from 'react-router';

export type Crumb = { label: string; to?: string };

/** Where this page sits: every step back is a link, the page itself is the last step. */
export const Breadcrumbs = ({ items }: { items: Crumb[] }) => (
  <nav aria-label="Breadcrumb" className="min-w-0">
    <ol className="flex min-w-0 flex-wrap items-center gap-1 text-sm text-slate-500 dark:text-slate-400">
      {items.map((item, i) => {
        const last = i === items.length - 1;
        return (
          <li key={`${i}-${item.label}`} className="flex min-w-0 items-center gap-1">
            {i > 0 && <ChevronRight size={14} aria-hidden className="shrink-0" />}
            {item.to && !last ? (
              <Link to={item.to} className="max-w-[14rem] truncate hover:text-slate-900 hover:underline dark:hover:text-slate-100">{item.label}</Link>
            ) : (
              <span aria-current={last ? 'page' : undefined} className="max-w-[14rem] truncate font-medium text-slate-700 dark:text-slate-200">{item.label}</span>
            )}
          </li>
        );
      })}
    </ol>
  </nav>
);
