import { clsx } from 'clsx';
import { Archive, Box, GitBranch } from 'lucide-react';
import { useLayoutEffect, useRef, useState } from 'react';
import { Link } from 'react-router';
import { StatusBadge } from '../ui/status-badge';
import { edges as edgesOf, layers, type GraphNode } from './graph-layout';

export interface ServiceNode extends GraphNode {
  name: string;
  sourceKind: string;
  /** the latest deployment's status; NEVER_DEPLOYED before the first */
  status: string;
  url?: string | null;
  /** why the latest deployment failed or was blocked (a blocked one names its dependency) */
  error?: string | null;
}

const frame: Record<string, string> = {
  SUCCEEDED: 'border-emerald-500 dark:border-emerald-500',
  FAILED: 'border-rose-500 dark:border-rose-500',
  BUILDING: 'border-amber-500 dark:border-amber-400',
  DEPLOYING: 'border-sky-500 dark:border-sky-400',
  QUEUED: 'border-slate-400 dark:border-slate-500',
  CANCELLED: 'border-slate-400 dark:border-slate-600',
  STOPPED: 'border-zinc-600 dark:border-zinc-400',
  BLOCKED: 'border-orange-500 dark:border-orange-400',
  NEVER_DEPLOYED: 'border-dashed border-slate-300 dark:border-slate-600',
};

const icons: Record<string, typeof GitBranch> = { git: GitBranch, image: Box, archive: Archive };

interface Line {
  key: string;
  /** the dependent's and the dependency's names, for tests and tools reading the drawing */
  from: string;
  to: string;
  x1: number;
  y1: number;
  x2: number;
  y2: number;
}

/**
 * The project's services as a dependency graph: one node per service, coloured and labelled by its
 * latest deployment, in layers (what others depend on at the bottom). Edges are drawn in an SVG
 * layer measured from the nodes, so the layout stays plain, wrapping HTML that works on a phone.
 */
export const ServiceGraph = ({ services }: { services: ServiceNode[] }) => {
  const container = useRef<HTMLDivElement>(null);
  const nodeRefs = useRef(new Map<string, HTMLElement>());
  const [lines, setLines] = useState<Line[]>([]);
  const edges = edgesOf(services);
  const rows = layers(services).reverse();
  const edgeKey = edges.map((e) => `${e.from}>${e.to}`).join(',');

  useLayoutEffect(() => {
    const box = container.current;
    if (!box || !edgeKey) return setLines([]);
    const measure = () => {
      const origin = box.getBoundingClientRect();
      const at = (id: string) => nodeRefs.current.get(id)?.getBoundingClientRect();
      setLines(
        edges.flatMap(({ from, to }) => {
          const a = at(from);
          const b = at(to);
          if (!a || !b) return [];
          const name = (id: string) => services.find((s) => s.id === id)?.name ?? id;
          return [{ key: `${from}>${to}`, from: name(from), to: name(to), x1: a.left + a.width / 2 - origin.left, y1: a.bottom - origin.top, x2: b.left + b.width / 2 - origin.left, y2: b.top - origin.top }];
        }),
      );
    };
    measure();
    const observer = new ResizeObserver(measure);
    observer.observe(box);
    return () => observer.disconnect();
    // edgeKey stands for edges: re-measure when the graph's shape changes.
  }, [edgeKey, services.length]);

  return (
    <div ref={container} className="relative">
      {lines.length > 0 && (
        <svg className="pointer-events-none absolute inset-0 h-full w-full text-slate-400 dark:text-slate-500" aria-hidden>
          <defs>
            <marker id="service-graph-arrow" viewBox="0 0 10 10" refX="9" refY="5" markerWidth="6" markerHeight="6" orient="auto-start-reverse">
              <path d="M0,0 L10,5 L0,10 z" fill="currentColor" />
            </marker>
          </defs>
          {lines.map((l) => (
            <path key={l.key} data-testid="dependency-edge" data-from={l.from} data-to={l.to} d={`M${l.x1},${l.y1} C${l.x1},${(l.y1 + l.y2) / 2} ${l.x2},${(l.y1 + l.y2) / 2} ${l.x2},${l.y2}`} fill="none" stroke="currentColor" strokeWidth="1.5" markerEnd="url(#service-graph-arrow)" />
          ))}
        </svg>
      )}
      <div className="relative flex flex-col gap-10">
        {rows.map((row, i) => (
          <ul key={i} aria-label={rows.length > 1 ? `Layer ${rows.length - i}` : 'Services'} className="flex flex-wrap justify-center gap-4">
            {row.map((service) => {
              const Icon = icons[service.sourceKind] ?? Box;
              const deps = (service.dependsOn ?? []).map((id) => services.find((s) => s.id === id)?.name).filter(Boolean);
              return (
                <li key={service.id} className="w-full sm:w-56">
                  <Link
                    to={`/services/${service.id}`}
                    ref={(el) => {
                      if (el) nodeRefs.current.set(service.id, el);
                      else nodeRefs.current.delete(service.id);
                    }}
                    className={clsx(
                      'flex flex-col gap-2 rounded-lg border-2 bg-white p-3 shadow-sm transition hover:shadow-md focus-visible:outline-2 focus-visible:outline-offset-2 focus-visible:outline-sky-600 dark:bg-slate-900',
                      frame[service.status] ?? frame.QUEUED,
                    )}
                  >
                    <span className="flex items-center gap-2 font-medium">
                      <Icon size={16} aria-hidden className="shrink-0 text-slate-500 dark:text-slate-400" />
                      <span className="truncate">{service.name}</span>
                    </span>
                    <span className="flex items-center justify-between gap-2">
                      <StatusBadge status={service.status} />
                      <span className="text-xs text-slate-500 dark:text-slate-400">{service.sourceKind}</span>
                    </span>
                    {deps.length > 0 && <span className="text-xs text-slate-500 dark:text-slate-400">depends on {deps.join(', ')}</span>}
                    {service.error && (service.status === 'BLOCKED' || service.status === 'FAILED') && (
                      <span data-testid="service-error" title={service.error} className={clsx('line-clamp-3 text-xs break-words', service.status === 'BLOCKED' ? 'text-orange-800 dark:text-orange-200' : 'text-rose-700 dark:text-rose-300')}>
                        {service.error}
                      </span>
                    )}
                  </Link>
                </li>
              );
            })}
          </ul>
        ))}
      </div>
    </div>
  );
};
