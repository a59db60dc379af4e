import { useMutation } from '@apollo/client/react';
import { Play, RotateCw, Square, Trash2 } from 'lucide-react';
import { useState } from 'react';
import { useProjectRole, whoMay } from '../app/use-project-role';
import { Button } from '../ui/button';
import { ConfirmDialog } from '../ui/confirm-dialog';
import { ErrorNotice } from '../ui/notice';
import { TypeNameDialog } from '../ui/type-name-dialog';
import { DeleteServiceMutation, RestartServiceMutation, ScaleServiceMutation, StartServiceMutation, StopServiceMutation } from './lifecycle-documents';
import { attempt } from './refusal';
import { ScaleDialog } from './scale-dialog';

type Service = { id: string; projectId: string; name: string; state: 'RUNNING' | 'STOPPED'; replicas: number };

/**
 * Stop or start (by its state), restart, scale and delete a service. What the viewer's role may not
 * do stays visible but disabled, with one line saying who may.
 */
export const ServiceActions = ({ service, onDeleted }: { service: Service; onDeleted: () => void }) => {
  const { role, can } = useProjectRole(service.projectId);
  const [stop, stopping] = useMutation(StopServiceMutation);
  const [start, starting] = useMutation(StartServiceMutation);
  const [restart, restarting] = useMutation(RestartServiceMutation);
  const [scale] = useMutation(ScaleServiceMutation);
  const [remove] = useMutation(DeleteServiceMutation);
  const [problem, setProblem] = useState<string | null>(null);
  const [done, setDone] = useState<string | null>(null);
  const id = service.id;
  const stopped = service.state === 'STOPPED';
  const manage = can('manage-services');
  const deploy = can('deploy');

  const act = async (run: () => Promise<unknown>, success: string) => {
    setDone(null);
    const failure = await attempt(run);
    setProblem(failure);
    if (!failure) setDone(success);
  };

  const reasons = [
    !manage && `Stopping, starting, scaling and deleting are for ${whoMay['manage-services']}`,
    !deploy && `restarting is for ${whoMay.deploy}`,
  ].filter(Boolean);

  return (
    <div className="flex flex-col gap-2">
      <div role="group" aria-label="Service actions" className="flex flex-wrap gap-2">
        {stopped ? (
          <Button variant="secondary" disabled={!manage || starting.loading} onClick={() => act(() => start({ variables: { id } }), 'Started: its replicas come back on the image it ran before.')}>
            <Play size={16} aria-hidden /> {starting.loading ? 'Starting…' : 'Start'}
          </Button>
        ) : (
          <ConfirmDialog
            title={`Stop ${service.name}?`}
            description="No replica runs until you start it again; its addresses answer with a “stopped” page meanwhile. Its settings, image and data are kept."
            confirmLabel="Stop service"
            busy={stopping.loading}
            onConfirm={() => act(() => stop({ variables: { id } }), 'Stopped: its addresses now show a “stopped” page.')}
            trigger={<Button variant="secondary" disabled={!manage}><Square size={16} aria-hidden /> Stop</Button>}
          />
        )}
        <Button
          variant="secondary"
          disabled={!deploy || stopped || restarting.loading}
          title={stopped ? 'A stopped service has nothing to restart: start it' : undefined}
          onClick={() => act(() => restart({ variables: { id } }), 'Restarting: each new replica is healthy before an old one stops.')}
        >
          <RotateCw size={16} aria-hidden /> {restarting.loading ? 'Restarting…' : 'Restart'}
        </Button>
        <ScaleDialog
          replicas={service.replicas}
          stopped={stopped}
          disabled={!manage}
          onScale={async (replicas) => {
            const failure = await attempt(() => scale({ variables: { id, replicas } }));
            if (!failure) {
              setProblem(null);
              setDone(`Scaled to ${replicas} replica${replicas === 1 ? '' : 's'}${stopped ? ', from its next start' : ''}.`);
            }
            return failure;
          }}
        />
        <TypeNameDialog
          title={`Delete ${service.name}?`}
          name={service.name}
          what="service"
          description={
            <p>
              Its running replicas, address, certificates, images and build caches are removed. This cannot be undone; its history stays in the audit log.
            </p>
          }
          confirmLabel="Delete service"
          onConfirm={async (deleteVolumes) => {
            const failure = await attempt(() => remove({ variables: { id, deleteVolumes } }));
            if (!failure) onDeleted();
            return failure;
          }}
          trigger={<Button variant="danger" className="ml-auto" disabled={!manage}><Trash2 size={16} aria-hidden /> Delete</Button>}
        />
      </div>
      {role && reasons.length > 0 && (
        <p className="text-xs text-slate-500 dark:text-slate-400">
          {reasons.join('; ')}; you are {role.toLowerCase()}.
        </p>
      )}
      {stopped && !done && <p className="text-sm text-slate-600 dark:text-slate-400">Stopped: no replica runs and deploying waits until it is started.</p>}
      {done && <p role="status" className="text-sm text-emerald-700 dark:text-emerald-400">{done}</p>}
      <ErrorNotice error={problem ? { message: problem } : null} />
    </div>
  );
};
