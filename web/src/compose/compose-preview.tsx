import { clsx } from 'clsx';
import { TriangleAlert } from 'lucide-react';
import type { PreviewComposeQuery } from '../graphql/graphql';

type Preview = PreviewComposeQuery['previewCompose'];
type PreviewService = Preview['services'][number];

const actions: Record<PreviewService['action'], { label: string; tone: string }> = {
  CREATE: { label: 'Create', tone: 'bg-emerald-100 text-emerald-800 dark:bg-emerald-900 dark:text-emerald-200' },
  UPDATE: { label: 'Update', tone: 'bg-sky-100 text-sky-800 dark:bg-sky-900 dark:text-sky-200' },
  UNCHANGED: { label: 'Unchanged', tone: 'bg-slate-100 text-slate-600 dark:bg-slate-800 dark:text-slate-300' },
  DELETE: { label: 'Delete', tone: 'bg-rose-100 text-rose-800 dark:bg-rose-900 dark:text-rose-200' },
};

/** What happens to one service, in words and colour (never colour alone). */
export const ActionBadge = ({ action }: { action: PreviewService['action'] }) => (
  <span className={clsx('inline-flex rounded-full px-2 py-0.5 text-xs font-medium', actions[action].tone)}>{actions[action].label}</span>
);

const muted = 'text-slate-500 dark:text-slate-400';
/** On a phone each row is a card: the cells stack, each labelled with its column's name. */
const cell =
  'px-3 py-2 tabular-nums max-sm:flex max-sm:gap-2 max-sm:py-1 max-sm:before:w-28 max-sm:before:shrink-0 max-sm:before:text-xs max-sm:before:text-slate-500 max-sm:before:content-[attr(data-label)] dark:max-sm:before:text-slate-400';
const none = <span className={muted}>—</span>;

const Origin = ({ service: s }: { service: PreviewService }) =>
  s.image ? (
    <code className="break-all text-xs">{s.image}</code>
  ) : s.buildContext !== null && s.buildContext !== undefined ? (
    <span className="text-xs">
      built from <code className="break-all">{s.buildContext || '.'}/</code>
      {s.dockerfilePath && <span className={clsx('block', muted)}>with <code className="break-all">{s.dockerfilePath}</code></span>}
    </span>
  ) : (
    none
  );

/** Warnings name the compose key and its line: kept as the API words them, line breaks included. */
export const ComposeWarnings = ({ warnings }: { warnings: string[] }) =>
  warnings.length ? (
    <section aria-label="Warnings" className="rounded-md border border-amber-300 bg-amber-50 p-3 text-sm text-amber-900 dark:border-amber-700 dark:bg-amber-950 dark:text-amber-100">
      <p className="mb-1 flex items-center gap-1.5 font-medium">
        <TriangleAlert size={16} aria-hidden /> {warnings.length === 1 ? '1 thing' : `${warnings.length} things`} in the file Slipway does not take
      </p>
      <ul className="flex list-disc flex-col gap-1 pl-5">
        {warnings.map((w) => (
          <li key={w} className="whitespace-pre-line break-words">{w}</li>
        ))}
      </ul>
    </section>
  ) : null;

/** One row per service of the file (and per service the file no longer has), with what the import does to it. */
export const ComposePreviewTable = ({ preview }: { preview: Preview }) => (
  <div className="overflow-x-auto rounded-md border border-slate-200 dark:border-slate-800">
    <table className="w-full text-left text-sm max-sm:block">
      <caption className="sr-only">What the import does, service by service</caption>
      <thead className="max-sm:sr-only bg-slate-50 text-xs text-slate-600 dark:bg-slate-950 dark:text-slate-400">
        <tr>
          <th scope="col" className="px-3 py-2 font-medium">Service</th>
          <th scope="col" className="px-3 py-2 font-medium">Action</th>
          <th scope="col" className="px-3 py-2 font-medium">Image or build</th>
          <th scope="col" className="px-3 py-2 font-medium">Port</th>
          <th scope="col" className="px-3 py-2 font-medium">Depends on</th>
          <th scope="col" className="px-3 py-2 font-medium">Volumes</th>
        </tr>
      </thead>
      <tbody className="max-sm:block divide-y divide-slate-200 dark:divide-slate-800">
        {preview.services.map((s) => (
          <tr key={s.name} className="align-top max-sm:block max-sm:py-2">
            <th scope="row" className="px-3 py-2 font-medium max-sm:block max-sm:py-1">
              {s.name}
              {s.replicas > 1 && <span className={clsx('block text-xs font-normal', muted)}>{s.replicas} replicas</span>}
            </th>
            <td className={cell} data-label="Action">
              <div>
                <ActionBadge action={s.action} />
                {s.action === 'UPDATE' && s.changes.length > 0 && <span className={clsx('block pt-1 text-xs', muted)}>{s.changes.join(', ')}</span>}
              </div>
            </td>
            <td className={cell} data-label="Image or build"><div className="min-w-0"><Origin service={s} /></div></td>
            <td className={cell} data-label="Port">
              {s.port ? (
                <span title={s.portReason ?? undefined} className={clsx(s.portReason && 'cursor-help underline decoration-dotted underline-offset-2')}>
                  {s.port}
                  {s.portReason && <span className="sr-only"> ({s.portReason})</span>}
                </span>
              ) : (
                none
              )}
            </td>
            <td className={cell} data-label="Depends on">{s.dependsOn.length ? s.dependsOn.join(', ') : none}</td>
            <td className={cell} data-label="Volumes">
              <div className="min-w-0">{s.volumes.length ? s.volumes.map((v) => <code key={v} className="block break-all text-xs">{v}</code>) : none}</div>
            </td>
          </tr>
        ))}
      </tbody>
    </table>
  </div>
);
