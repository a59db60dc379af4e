import { useMutation, useQuery } from '@apollo/client/react';
import { useId, useState, type FormEvent } from 'react';
import { fieldError, formError } from '../app/field-errors';
import { problemsOf } from '../app/input-rules';
import type { BuildStrategy, HealthCheckKind } from '../graphql/graphql';
import { Button } from '../ui/button';
import { Field } from '../ui/field';
import { DependencyPicker } from '../project/dependency-picker';
import { ErrorNotice } from '../ui/notice';
import { ServiceSettingsQuery, UpdateServiceSettingsMutation } from './queries';

type Settings = { port: number | null; replicas: number; cpu: number; memoryMb: number; dockerfilePath: string; buildStrategy: BuildStrategy; healthCheck: { kind: HealthCheckKind; path?: string | null };
  dependsOn?: string[];
  redeployDependents?: boolean;
};

const FIELDS = ['input.port', 'input.replicas', 'input.cpu', 'input.memoryMb', 'input.healthCheck', 'input.healthCheck.kind', 'input.healthCheck.path', 'input.dockerfilePath', 'input.buildStrategy', 'input.dependsOn'];

const strategies: { value: BuildStrategy; label: string }[] = [
  { value: 'AUTO', label: 'Auto: a Dockerfile if there is one, else Node, single-page app or static site' },
  { value: 'DOCKERFILE', label: 'Dockerfile' },
  { value: 'NODE', label: 'Node app' },
  { value: 'SPA', label: 'Single-page app' },
  { value: 'STATIC', label: 'Static site' },
];

const Select = ({ label, value, onChange, children, error }: { label: string; value: string; onChange: (v: string) => void; children: React.ReactNode; error?: string | null }) => {
  const id = useId();
  return (
    <div className="flex flex-col gap-1">
      <label htmlFor={id} className="text-sm font-medium">{label}</label>
      <select id={id} value={value} onChange={(e) => onChange(e.target.value)} aria-invalid={Boolean(error)} className="rounded-md border border-slate-300 bg-white px-2.5 py-1.5 text-sm dark:border-slate-700 dark:bg-slate-900">
        {children}
      </select>
      {error && <p className="text-xs text-rose-600 dark:text-rose-400">{error}</p>}
    </div>
  );
};

/** The service's settings, read when the tab opens. */
export const Settings = ({ serviceId }: { serviceId: string }) => {
  const { data, loading, error } = useQuery(ServiceSettingsQuery);
  const project = data?.projects.find((p) => p.services.some((s) => s.id === serviceId));
  const settings = project?.services.find((s) => s.id === serviceId);
  if (loading && !data) return <p className="text-sm text-slate-500">Loading…</p>;
  if (!settings)
    return (
      <ErrorNotice
        error={{ message: `The settings could not be read${error ? `: ${error.message.replace(/^\[GraphQL\] /, '').replace(/\.$/, '')}` : ''}. Reload the page in a moment; if it stays, ask the instance owner to check the gateway's services read model.` }}
      />
    );
  const siblings = project!.services.filter((s) => s.id !== serviceId);
  return <SettingsForm key={serviceId} serviceId={serviceId} settings={settings} siblings={siblings} />;
};

/** Port, size, health check and build: saved now, applied by the next deploy. */
export const SettingsForm = ({ serviceId, settings, siblings = [] }: { serviceId: string; settings: Settings; siblings?: { id: string; name: string }[] }) => {
  const initial = () => ({
    // null: chosen at each deployment (the image's EXPOSE, else the strategy's default).
    port: settings.port == null ? '' : String(settings.port),
    replicas: String(settings.replicas),
    cpu: String(settings.cpu),
    memoryMb: String(settings.memoryMb),
    dockerfilePath: settings.dockerfilePath,
    buildStrategy: settings.buildStrategy,
    kind: settings.healthCheck.kind,
    path: settings.healthCheck.path ?? '/',
    dependsOn: settings.dependsOn ?? [],
    redeployDependents: settings.redeployDependents ?? false,
  });
  const [form, setForm] = useState(initial);
  const [saved, setSaved] = useState(false);
  const [problems, setProblems] = useState<Record<string, string | undefined>>({});
  const [update, { loading, error, reset }] = useMutation(UpdateServiceSettingsMutation);
  const set = <K extends keyof ReturnType<typeof initial>>(k: K) => (v: ReturnType<typeof initial>[K]) => {
    setSaved(false);
    setForm({ ...form, [k]: v });
  };
  const submit = async (e: FormEvent) => {
    e.preventDefault();
    reset();
    // The same checks, in the same words, as every form that asks for these values.
    const found = problemsOf({
      ...(form.port.trim() === '' && settings.port == null ? {} : { port: ['port', form.port] as ['port', string] }),
      replicas: ['replicas', form.replicas],
      cpu: ['cpu', form.cpu],
      memoryMb: ['memoryMb', form.memoryMb],
      ...(form.kind === 'HTTP' ? { 'healthCheck.path': ['healthCheckPath', form.path || ' '] as ['healthCheckPath', string] } : {}),
    });
    setProblems(found);
    if (Object.keys(found).length) return;
    const r = await update({
      variables: {
        serviceId,
        input: {
          ...(form.port.trim() === '' ? {} : { port: Number(form.port) }),
          replicas: Number(form.replicas),
          cpu: Number(form.cpu),
          memoryMb: Number(form.memoryMb),
          dockerfilePath: form.dockerfilePath,
          buildStrategy: form.buildStrategy,
          healthCheck: { kind: form.kind, path: form.kind === 'HTTP' ? form.path : null },
          dependsOn: form.dependsOn,
          redeployDependents: form.redeployDependents,
        },
      },
    }).catch(() => null);
    if (r?.data) setSaved(true);
  };
  const f = (name: string) => problems[name] ?? fieldError(error, `input.${name}`);
  return (
    <form onSubmit={submit} noValidate className="flex max-w-2xl flex-col gap-4">
      <p className="text-sm text-slate-600 dark:text-slate-400">Changes are saved now and take effect on the next deploy.</p>
      <ErrorNotice error={formError(error, FIELDS)} />
      <div className="grid gap-4 sm:grid-cols-2">
        <Field label="Port" type="number" inputMode="numeric" min={1} max={65535} required={settings.port != null} value={form.port} onChange={(e) => set('port')(e.target.value)} hint="The port your app listens on; empty: the image's EXPOSE, else 3000 (Node) or 8080 (static)" error={f('port')} />
        <Field label="Replicas" type="number" min={1} max={10} required value={form.replicas} onChange={(e) => set('replicas')(e.target.value)} hint="Copies running at once" error={f('replicas')} />
        <Field label="CPU (cores)" type="number" min={0.1} step={0.1} required value={form.cpu} onChange={(e) => set('cpu')(e.target.value)} hint="Per replica, e.g. 0.5" error={f('cpu')} />
        <Field label="Memory (MB)" type="number" min={128} step={64} required value={form.memoryMb} onChange={(e) => set('memoryMb')(e.target.value)} hint="Per replica; above it the replica restarts" error={f('memoryMb')} />
      </div>
      <fieldset className="grid gap-4 sm:grid-cols-2">
        <legend className="mb-2 text-sm font-semibold">Health check</legend>
        <Select label="Kind" value={form.kind} onChange={(v) => set('kind')(v as HealthCheckKind)} error={f('healthCheck.kind') ?? f('healthCheck')}>
          <option value="HTTP">HTTP: a path answers 2xx</option>
          <option value="TCP">TCP: the port accepts connections</option>
          <option value="NONE">None</option>
          {settings.healthCheck.kind === 'COMMAND' && <option value="COMMAND">Command from the Compose file</option>}
        </Select>
        {form.kind === 'HTTP' && <Field label="Path" value={form.path} onChange={(e) => set('path')(e.target.value)} placeholder="/health" error={f('healthCheck.path')} />}
      </fieldset>
      <fieldset className="grid gap-4 sm:grid-cols-2">
        <legend className="mb-2 text-sm font-semibold">Build</legend>
        <Select label="Strategy" value={form.buildStrategy} onChange={(v) => set('buildStrategy')(v as BuildStrategy)} error={f('buildStrategy')}>
          {strategies.map((s) => <option key={s.value} value={s.value}>{s.label}</option>)}
        </Select>
        <Field label="Dockerfile path" value={form.dockerfilePath} onChange={(e) => set('dockerfilePath')(e.target.value)} hint="Relative to the repository root" error={f('dockerfilePath')} />
      </fieldset>
      <fieldset className="flex flex-col gap-3">
        <legend className="mb-2 text-sm font-semibold">Dependencies</legend>
        <DependencyPicker services={siblings} value={form.dependsOn} onChange={set('dependsOn')} error={f('dependsOn')} />
        <label className="flex items-center gap-1.5 text-sm">
          <input type="checkbox" checked={form.redeployDependents} onChange={(e) => set('redeployDependents')(e.target.checked)} className="accent-sky-600" />
          Redeploy the services that depend on this one after each successful deploy
        </label>
      </fieldset>
      <div className="flex items-center gap-3">
        <Button type="submit" disabled={loading}>{loading ? 'Saving…' : 'Save settings'}</Button>
        <Button variant="secondary" onClick={() => { setForm(initial()); setSaved(false); }}>Reset</Button>
        {saved && <p role="status" className="text-sm text-emerald-700 dark:text-emerald-400">Saved: the next deploy applies it.</p>}
      </div>
    </form>
  );
};
