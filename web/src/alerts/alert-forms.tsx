import { useMutation } from '@apollo/client/react';
import { useState, type FormEvent } from 'react';
import type { AlertMetric, NotificationChannelKind } from '../graphql/graphql';
import { Button } from '../ui/button';
import { OnceValue } from '../ui/copy-button';
import { Field } from '../ui/field';
import { ErrorNotice } from '../ui/notice';
import { Select } from '../ui/select';
import { CreateChannelMutation, CreateRuleMutation } from './alerts-documents';

const kinds = [
  { value: 'WEBHOOK', label: 'Webhook (signed JSON POST)' },
  { value: 'SLACK', label: 'Slack incoming webhook' },
  { value: 'EMAIL', label: 'Email' },
];

/** A new channel; a webhook's signing secret is shown here once. */
export const CreateChannelForm = ({ projectId, onCreated }: { projectId: string; onCreated: () => void }) => {
  const [kind, setKind] = useState<NotificationChannelKind>('WEBHOOK');
  const [target, setTarget] = useState('');
  const [create, state] = useMutation(CreateChannelMutation, { onCompleted: () => { setTarget(''); onCreated(); } });
  const secret = state.data?.createNotificationChannel.secret;
  const email = kind === 'EMAIL';
  const submit = (e: FormEvent) => {
    e.preventDefault();
    void create({ variables: { projectId, input: { kind, ...(email ? { email: target } : { url: target }) } } }).catch(() => undefined);
  };
  return (
    <form className="flex flex-col gap-3" onSubmit={submit} aria-label="Add a notification channel">
      <div className="flex flex-wrap items-end gap-3">
        <Select label="Kind" value={kind} onChange={(e) => setKind(e.target.value as NotificationChannelKind)} options={kinds} />
        <div className="min-w-0 flex-1 basis-64">
          <Field label={email ? 'Email address' : 'URL'} name="target" value={target} onChange={(e) => setTarget(e.target.value)} placeholder={email ? 'ops@example.com' : 'https://hooks.example.com/slipway'} required />
        </div>
        <Button type="submit" disabled={state.loading || !target.trim()}>{state.loading ? 'Adding…' : 'Add channel'}</Button>
      </div>
      <ErrorNotice error={state.error} />
      {secret && <OnceValue label="Signing secret (X-Slipway-Signature: sha256=HMAC of the body), shown this once" value={secret} />}
    </form>
  );
};

const metrics = [
  { value: 'CPU', label: 'CPU above (cores)' },
  { value: 'MEMORY', label: 'Memory above (MB)' },
  { value: 'RESTARTS', label: 'Restarts within the window' },
  { value: 'DEPLOYMENT_FAILED', label: 'A deployment failed' },
  { value: 'CERTIFICATE_EXPIRY', label: 'Certificate expires within (days)' },
  { value: 'HOST_DISK', label: 'Host disk above (% used)' },
];

/** A new rule over the project's services (or one), sent to the chosen channels. */
export const CreateRuleForm = ({ projectId, services, channels, onCreated }: { projectId: string; services: { id: string; name: string }[]; channels: { id: string; label: string }[]; onCreated: () => void }) => {
  const [metric, setMetric] = useState<AlertMetric>('CPU');
  const [threshold, setThreshold] = useState('0.8');
  const [forMinutes, setForMinutes] = useState('5');
  const [serviceId, setServiceId] = useState('');
  const [channelIds, setChannelIds] = useState<string[]>([]);
  const [create, state] = useMutation(CreateRuleMutation, { onCompleted: onCreated });
  const submit = (e: FormEvent) => {
    e.preventDefault();
    const input = { metric, threshold: Number(threshold), forMinutes: Number(forMinutes), serviceId: serviceId || null, channelIds };
    void create({ variables: { projectId, input } }).catch(() => undefined);
  };
  const toggle = (id: string) => setChannelIds((ids) => (ids.includes(id) ? ids.filter((i) => i !== id) : [...ids, id]));
  return (
    <form className="flex flex-col gap-3" onSubmit={submit} aria-label="Add an alert rule">
      <div className="flex flex-wrap items-end gap-3">
        <Select label="When" value={metric} onChange={(e) => setMetric(e.target.value as AlertMetric)} options={metrics} />
        {metric !== 'DEPLOYMENT_FAILED' && <div className="w-28"><Field label="Threshold" name="threshold" type="number" step="any" min="0" value={threshold} onChange={(e) => setThreshold(e.target.value)} /></div>}
        <div className="w-28"><Field label={metric === 'RESTARTS' ? 'Window (min)' : 'For (min)'} name="forMinutes" type="number" step="any" min="0" value={forMinutes} onChange={(e) => setForMinutes(e.target.value)} /></div>
        <Select label="Service" value={serviceId} onChange={(e) => setServiceId(e.target.value)} options={[{ value: '', label: 'Every service' }, ...services.map((s) => ({ value: s.id, label: s.name }))]} />
      </div>
      <fieldset className="flex flex-wrap gap-3 text-sm">
        <legend className="mb-1 font-medium">Notify</legend>
        {channels.length === 0 && <span className="text-slate-500 dark:text-slate-400">Add a channel first.</span>}
        {channels.map((c) => (
          <label key={c.id} className="inline-flex items-center gap-1.5"><input type="checkbox" checked={channelIds.includes(c.id)} onChange={() => toggle(c.id)} /> {c.label}</label>
        ))}
      </fieldset>
      <div><Button type="submit" disabled={state.loading || channelIds.length === 0}>{state.loading ? 'Adding…' : 'Add rule'}</Button></div>
      <ErrorNotice error={state.error} />
    </form>
  );
};
