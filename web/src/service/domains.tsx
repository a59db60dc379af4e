import { useMutation } from '@apollo/client/react';
import { ExternalLink, Plus, Trash2 } from 'lucide-react';
import { useState, type FormEvent } from 'react';
import { fieldError, formError } from '../app/field-errors';
import { Button } from '../ui/button';
import { ConfirmDialog } from '../ui/confirm-dialog';
import { Field } from '../ui/field';
import { ErrorNotice } from '../ui/notice';
import { Certificates } from './certificates';
import { AddServiceDomain, RemoveServiceDomain } from './queries';

/** The automatic hostname Slipway gives the service, and hostnames of your own. */
export const Domains = ({ serviceId, domains, automaticUrl }: { serviceId: string; domains: string[]; automaticUrl: string | null }) => {
  const [hostname, setHostname] = useState('');
  const [add, adding] = useMutation(AddServiceDomain);
  const [remove, removing] = useMutation(RemoveServiceDomain);
  const submit = async (e: FormEvent) => {
    e.preventDefault();
    const r = await add({ variables: { serviceId, hostname } }).catch(() => null);
    if (r?.data) setHostname('');
  };
  const automatic = automaticUrl ? new URL(automaticUrl).host : null;
  return (
    <div className="flex flex-col gap-4">
      <div>
        <h3 className="text-sm font-medium">Automatic hostname</h3>
        {automatic ? (
          <a href={automaticUrl!} target="_blank" rel="noreferrer" className="mt-1 inline-flex items-center gap-1 font-mono text-sm text-sky-700 underline dark:text-sky-400">
            {automatic} <ExternalLink size={14} aria-hidden />
          </a>
        ) : (
          <p className="mt-1 text-sm text-slate-600 dark:text-slate-400">Given at the first successful deployment: deploy to get it.</p>
        )}
      </div>
      <div>
        <h3 className="text-sm font-medium">Your own domains</h3>
        {domains.length === 0 ? (
          <p className="mt-1 text-sm text-slate-600 dark:text-slate-400">None yet. Add one below, then point its DNS (an A or CNAME record) at this server; HTTPS follows.</p>
        ) : (
          <ul className="mt-2 divide-y divide-slate-200 rounded-md border border-slate-200 dark:divide-slate-800 dark:border-slate-800" aria-label="Domains">
            {domains.map((d) => (
              <li key={d} className="flex items-center gap-2 px-3 py-2 text-sm">
                <a href={`https://${d}`} target="_blank" rel="noreferrer" className="min-w-0 flex-1 truncate font-mono hover:underline">{d}</a>
                <ConfirmDialog
                  title={`Remove ${d}?`}
                  description="Requests for it stop reaching this service at once."
                  confirmLabel="Remove domain"
                  busy={removing.loading}
                  onConfirm={() => remove({ variables: { serviceId, hostname: d } }).catch(() => null)}
                  trigger={<Button variant="ghost" aria-label={`Remove ${d}`}><Trash2 size={14} aria-hidden /> Remove</Button>}
                />
              </li>
            ))}
          </ul>
        )}
        <ErrorNotice error={removing.error} />
      </div>
      <form onSubmit={submit} className="flex flex-wrap items-end gap-2">
        <div className="min-w-56 flex-1">
          <Field label="Add a domain" placeholder="shop.example.com" value={hostname} onChange={(e) => setHostname(e.target.value)} error={fieldError(adding.error, 'hostname')} spellCheck={false} autoCapitalize="none" />
        </div>
        <Button type="submit" disabled={adding.loading || !hostname.trim()}><Plus size={14} aria-hidden /> Add domain</Button>
        <div className="w-full"><ErrorNotice error={formError(adding.error, ['hostname'])} /></div>
      </form>
      <Certificates serviceId={serviceId} />
    </div>
  );
};
