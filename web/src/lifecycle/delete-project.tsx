import { useMutation } from '@apollo/client/react';
import { Trash2 } from 'lucide-react';
import { Button } from '../ui/button';
import { TypeNameDialog } from '../ui/type-name-dialog';
import { DeleteProjectMutation } from './lifecycle-documents';
import { attempt } from './refusal';

/** The owner's: every service of the project goes, then its network and caches; the name is free again. */
export const DeleteProject = ({ project, serviceCount, onDeleted }: { project: { id: string; name: string }; serviceCount: number; onDeleted: () => void }) => {
  const [remove] = useMutation(DeleteProjectMutation);
  return (
    <TypeNameDialog
      title={`Delete project ${project.name}?`}
      name={project.name}
      what="project"
      description={
        <p>
          {serviceCount === 0 ? 'It has no services. ' : `Its ${serviceCount === 1 ? 'service' : `${serviceCount} services`} stop${serviceCount === 1 ? 's' : ''} and ${serviceCount === 1 ? 'is' : 'are'} removed with ${serviceCount === 1 ? 'its' : 'their'} addresses, certificates, images and caches. `}
          This cannot be undone; the history stays in the audit log, and the name becomes free for a new project.
        </p>
      }
      confirmLabel="Delete project"
      onConfirm={async (deleteVolumes) => {
        const failure = await attempt(() => remove({ variables: { id: project.id, deleteVolumes } }));
        if (!failure) onDeleted();
        return failure;
      }}
      trigger={<Button variant="danger"><Trash2 size={16} aria-hidden /> Delete project</Button>}
    />
  );
};
