import { useMutation, useQuery } from '@apollo/client/react';
import { HardDrive, RefreshCw, Trash2 } from 'lucide-react';
import { useState } from 'react';
import { useProjectRole, whoMay } from '../app/use-project-role';
import { attempt } from '../lifecycle/refusal';
import { Button } from '../ui/button';
import { ConfirmDialog } from '../ui/confirm-dialog';
import { ErrorNotice } from '../ui/notice';
import { AddVolumeForm } from './add-volume-form';
import { humanBytes } from './bytes';
import { RemoveVolumeMutation, ServiceVolumesQuery } from './volumes-documents';

type Volume = { name: string; mountPath: string; dockerVolume?: string | null; sizeBytes?: number | null; state: 'MOUNTED' | 'REMOVING' };

const sizeText = (v: Volume) => (v.sizeBytes != null ? humanBytes(v.sizeBytes) : v.dockerVolume ? 'size unknown' : 'not created yet: the next deployment creates it');

/**
 * The service's named volumes with the size Docker measured when this tab asked; admins and owners
 * add and remove them (applied by the next deployment), everyone else sees the list.
 */
export const Volumes = ({ serviceId, projectId }: { serviceId: string; projectId: string }) => {
  const { data, previousData, loading, error, refetch } = useQuery(ServiceVolumesQuery, { variables: { serviceId } });
  const { role, can } = useProjectRole(projectId);
  const manage = can('manage-services');
  const volumes = (data ?? previousData)?.volumes ?? [];
  if (loading && !data && !previousData) return <p className="text-sm text-slate-500">Loading…</p>;
  return (
    <section aria-label="Volumes" className="flex max-w-3xl flex-col gap-4">
      <div className="flex flex-wrap items-start justify-between gap-2">
        <p className="min-w-0 flex-1 text-sm text-slate-600 dark:text-slate-400">
          Data kept across deployments, restarts, rollbacks and stop/start. Sizes are Docker's, measured when this list was read.
        </p>
        <Button variant="ghost" onClick={() => void refetch().catch(() => undefined)} disabled={loading} aria-label="Measure the sizes again">
          <RefreshCw size={14} aria-hidden /> Refresh
        </Button>
      </div>
      <ErrorNotice error={error} />
      {volumes.length === 0 ? (
        <p className="text-sm text-slate-600 dark:text-slate-400">No volumes: every deployment starts from the image's files.{manage && ' Add one below for data that must stay.'}</p>
      ) : (
        <ul aria-label="Volumes" className="divide-y divide-slate-200 rounded-md border border-slate-200 dark:divide-slate-800 dark:border-slate-800">
          {volumes.map((v) => (
            <VolumeRow key={`${v.name}-${v.state}`} serviceId={serviceId} volume={v} canRemove={manage} />
          ))}
        </ul>
      )}
      {manage ? (
        <AddVolumeForm serviceId={serviceId} />
      ) : (
        role && <p className="text-xs text-slate-500 dark:text-slate-400">Adding and removing volumes is for {whoMay['manage-services']}; you are {role.toLowerCase()}.</p>
      )}
    </section>
  );
};

const VolumeRow = ({ serviceId, volume: v, canRemove }: { serviceId: string; volume: Volume; canRemove: boolean }) => {
  const [remove, removing] = useMutation(RemoveVolumeMutation, { refetchQueries: [{ query: ServiceVolumesQuery, variables: { serviceId } }], awaitRefetchQueries: true });
  const [problem, setProblem] = useState<string | null>(null);
  const removingState = v.state === 'REMOVING';
  return (
    <li className="flex flex-wrap items-center gap-x-3 gap-y-1 px-3 py-2 text-sm" data-testid="volume">
      <HardDrive size={16} aria-hidden className="shrink-0 text-slate-500 dark:text-slate-400" />
      <div className="min-w-0 flex-1">
        <p className="flex flex-wrap items-baseline gap-x-2">
          <span className="font-medium">{v.name}</span>
          {removingState ? (
            <span className="text-xs text-orange-700 dark:text-orange-300">removed: its data is deleted once no deployment mounts it</span>
          ) : (
            <span className="font-mono text-xs break-all text-slate-700 dark:text-slate-300">{v.mountPath}</span>
          )}
        </p>
        <p className="text-xs text-slate-500 dark:text-slate-400" data-testid="volume-size">{sizeText(v)}</p>
      </div>
      {canRemove && !removingState && (
        <ConfirmDialog
          title={`Remove the volume ${v.name}?`}
          description={
            <>
              The next deployment no longer mounts it at <span className="font-mono">{v.mountPath}</span>. Once that deployment has succeeded, the volume and all its data are deleted; this cannot be
              undone. Until then, adding a volume named {v.name} again keeps its data.
            </>
          }
          confirmLabel="Remove volume"
          busy={removing.loading}
          onConfirm={async () => setProblem(await attempt(() => remove({ variables: { serviceId, name: v.name } })))}
          trigger={<Button variant="ghost" aria-label={`Remove ${v.name}`}><Trash2 size={14} aria-hidden /> Remove</Button>}
        />
      )}
      {problem && <div className="w-full"><ErrorNotice error={{ message: problem }} /></div>}
    </li>
  );
};
