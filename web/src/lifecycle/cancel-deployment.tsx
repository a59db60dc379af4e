import { useMutation } from '@apollo/client/react';
import { Ban } from 'lucide-react';
import { useState } from 'react';
import { useProjectRole, whoMay } from '../app/use-project-role';
import { Button } from '../ui/button';
import { ConfirmDialog } from '../ui/confirm-dialog';
import { CancelDeploymentMutation } from './lifecycle-documents';
import { attempt } from './refusal';

/** Cancellable while queued or building; once Swarm rolls it out it ends by itself. */
export const cancellable = (status: string) => status === 'QUEUED' || status === 'BUILDING';

/** Cancel one deployment, after asking; the refusal (if any) is shown beside the button. */
export const CancelDeployment = ({ deploymentId, projectId, label }: { deploymentId: string; projectId: string | null | undefined; label: string }) => {
  const { role, can } = useProjectRole(projectId ?? undefined);
  const [cancel, cancelling] = useMutation(CancelDeploymentMutation);
  const [problem, setProblem] = useState<string | null>(null);
  if (!role) return null;
  if (!can('deploy'))
    return <span className="text-xs text-slate-500 dark:text-slate-400">Cancelling is for {whoMay.deploy}</span>;
  return (
    <span className="inline-flex flex-wrap items-center gap-2">
      <ConfirmDialog
        title="Cancel this deployment?"
        description="Its build stops and nothing of it is kept; what runs now keeps running. It ends as cancelled."
        confirmLabel="Cancel deployment"
        dismissLabel="Keep it"
        busy={cancelling.loading}
        onConfirm={async () => setProblem(await attempt(() => cancel({ variables: { id: deploymentId } })))}
        trigger={
          <Button variant="secondary" aria-label={label}>
            <Ban size={14} aria-hidden /> Cancel
          </Button>
        }
      />
      {problem && <span role="alert" className="text-xs text-rose-700 dark:text-rose-300">{problem}</span>}
    </span>
  );
};
