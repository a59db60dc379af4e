import { Link } from 'react-router';
import type { AuditLogPageQuery } from '../graphql/graphql';
import { absoluteTime, relativeTime } from '../ui/time';

/** An audit entry as the page's query returns it (typed by codegen from the gateway's schema). */
export type AuditRow = AuditLogPageQuery['auditLog']['entries'][number];

const actorKinds: Record<string, string> = { user: 'person', token: 'API token', service: 'Slipway', system: 'Slipway' };

/** "ServiceCreated" → "Service created". */
export const humanType = (type: string) => type.replace(/([a-z0-9])([A-Z])/g, '$1 $2').replace(/ (\w)/g, (_, c: string) => ` ${c.toLowerCase()}`);

const aggregateLink = (row: AuditRow) => {
  const id = row.aggregateId;
  if (id.startsWith('d_')) return `/deployments/${id}`;
  if (id.startsWith('s_')) return `/services/${id}`;
  if (id.startsWith('p_')) return `/projects/${id}`;
  if (row.deploymentId) return `/deployments/${row.deploymentId}`;
  if (row.serviceId) return `/services/${row.serviceId}`;
  return null;
};

/** Who did what to which thing, when: newest first. A table on wide screens, stacked rows on a phone. */
export const AuditTable = ({ rows, names }: { rows: AuditRow[]; names: Map<string, string> }) => (
  <div className="overflow-hidden rounded-lg border border-slate-200 bg-white dark:border-slate-800 dark:bg-slate-900">
    <table className="w-full text-left text-sm">
      <caption className="sr-only">Audit log, newest first</caption>
      <thead className="hidden bg-slate-50 text-xs text-slate-500 uppercase md:table-header-group dark:bg-slate-950 dark:text-slate-400">
        <tr>
          <th scope="col" className="px-3 py-2 font-medium">When</th>
          <th scope="col" className="px-3 py-2 font-medium">Who</th>
          <th scope="col" className="px-3 py-2 font-medium">What</th>
          <th scope="col" className="px-3 py-2 font-medium">Which</th>
        </tr>
      </thead>
      <tbody className="divide-y divide-slate-200 dark:divide-slate-800">
        {rows.map((row) => {
          const restored = row.deployment?.rollbackOf;
          const link = aggregateLink(row);
          const service = row.serviceId ? names.get(row.serviceId) : undefined;
          // A deployment or build is named by its service; ids only where nothing better is known.
          const label = names.get(row.aggregateId) ?? (row.deploymentId && service ? `${row.aggregate} of ${service}` : row.aggregateId);
          return (
            <tr key={row.id} className="grid grid-cols-2 gap-x-3 gap-y-1 p-3 md:table-row md:p-0">
              <td className="md:px-3 md:py-2 md:align-top">
                <time dateTime={row.at} className="block">{relativeTime(row.at)}</time>
                <span className="block text-xs text-slate-500 dark:text-slate-400">{absoluteTime(row.at)}</span>
              </td>
              <td className="min-w-0 md:px-3 md:py-2 md:align-top">
                <span className="block truncate" title={row.actor.name}>{row.actor.name}</span>
                <span className="block text-xs text-slate-500 dark:text-slate-400">{actorKinds[row.actor.kind] ?? row.actor.kind}</span>
              </td>
              <td className="md:px-3 md:py-2 md:align-top">
                <span className="block font-medium">{humanType(row.type)}</span>
                {restored && <span className="block text-xs">rollback to commit <span className="font-mono">{restored.commitSha?.slice(0, 7) ?? '(image only)'}</span></span>}
                <span className="block font-mono text-xs text-slate-500 dark:text-slate-400">{row.type}</span>
              </td>
              <td className="min-w-0 md:px-3 md:py-2 md:align-top">
                <span className="block text-xs text-slate-500 dark:text-slate-400">{row.aggregate}</span>
                {link ? <Link to={link} className="block truncate underline-offset-2 hover:underline">{label}</Link> : <span className="block truncate">{label}</span>}
              </td>
            </tr>
          );
        })}
      </tbody>
    </table>
  </div>
);
