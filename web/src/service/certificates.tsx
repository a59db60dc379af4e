import { useQuery } from '@apollo/client/react';
import { ShieldAlert, ShieldCheck, ShieldEllipsis } from 'lucide-react';
import { ErrorNotice } from '../ui/notice';
import { ServiceCertificatesQuery } from './queries';

const when = (iso: string) => new Date(iso).toLocaleString(undefined, { dateStyle: 'medium', timeStyle: 'short' });

/**
 * HTTPS per hostname: pending while Caddy gets the certificate (plain HTTP works meanwhile),
 * issued (by whom, until when), or failing with Caddy's reason — it keeps trying.
 */
export const Certificates = ({ serviceId }: { serviceId: string }) => {
  // Certificates arrive after the deployment: look again every 10 s while the tab is open.
  const { data, error } = useQuery(ServiceCertificatesQuery, { variables: { serviceId }, pollInterval: 10_000 });
  const certificates = data?.certificates ?? [];
  return (
    <div>
      <h3 className="text-sm font-medium">HTTPS certificates</h3>
      <ErrorNotice error={error} />
      {certificates.length === 0 ? (
        <p className="mt-1 text-sm text-slate-600 dark:text-slate-400">Each hostname gets one at its first deployment.</p>
      ) : (
        <ul className="mt-2 divide-y divide-slate-200 rounded-md border border-slate-200 dark:divide-slate-800 dark:border-slate-800" aria-label="Certificates">
          {certificates.map((c) => (
            <li key={c.hostname} className="flex items-start gap-2 px-3 py-2 text-sm">
              {c.status === 'ISSUED' ? (
                <ShieldCheck size={16} className="mt-0.5 shrink-0 text-emerald-600" aria-hidden />
              ) : c.status === 'FAILED' ? (
                <ShieldAlert size={16} className="mt-0.5 shrink-0 text-red-600" aria-hidden />
              ) : (
                <ShieldEllipsis size={16} className="mt-0.5 shrink-0 text-amber-600" aria-hidden />
              )}
              <div className="min-w-0 flex-1">
                <div className="truncate font-mono">{c.hostname}</div>
                <div className="text-slate-600 dark:text-slate-400">
                  {c.status === 'ISSUED' && `Issued by ${c.issuer}, valid until ${when(c.notAfter!)}`}
                  {c.status === 'PENDING' && `Being issued since ${when(c.since)}; plain HTTP works meanwhile`}
                  {c.status === 'FAILED' && <span className="break-words text-red-700 dark:text-red-400">{c.error}</span>}
                </div>
              </div>
            </li>
          ))}
        </ul>
      )}
    </div>
  );
};
