import { useMutation } from '@apollo/client/react';
import { Plus } from 'lucide-react';
import { useState, type FormEvent } from 'react';
import { fieldError } from '../app/field-errors';
import { problemsOf } from '../app/input-rules';
import { refusalOf } from '../lifecycle/refusal';
import { Button } from '../ui/button';
import { Field } from '../ui/field';
import { ErrorNotice } from '../ui/notice';
import { AddVolumeMutation, ServiceVolumesQuery } from './volumes-documents';

const FIELDS = ['name', 'mountPath'] as const;

/**
 * A named volume for a service, checked before it is sent with the API's rules in its words; what
 * only the API can tell (a name or path already taken, the eleventh volume) comes back next to the
 * field it names, anything else above the button.
 */
export const AddVolumeForm = ({ serviceId }: { serviceId: string }) => {
  const [name, setName] = useState('');
  const [mountPath, setMountPath] = useState('');
  const [problems, setProblems] = useState<Partial<Record<(typeof FIELDS)[number], string>>>({});
  const [added, setAdded] = useState<string | null>(null);
  const [add, { loading, error, reset }] = useMutation(AddVolumeMutation, { refetchQueries: [{ query: ServiceVolumesQuery, variables: { serviceId } }], awaitRefetchQueries: true });

  const submit = async (e: FormEvent) => {
    e.preventDefault();
    reset();
    setAdded(null);
    const found = problemsOf({ name: ['volumeName', name], mountPath: ['volumeMountPath', mountPath] });
    setProblems(found);
    if (Object.keys(found).length) return;
    const r = await add({ variables: { serviceId, name: name.trim(), mountPath: mountPath.trim() } }).catch(() => null);
    if (!r?.data) return;
    setAdded(`Added ${name.trim()} at ${mountPath.trim()}: the next deployment mounts it.`);
    setName('');
    setMountPath('');
  };
  const onField = (field: (typeof FIELDS)[number]) => problems[field] ?? fieldError(error, field);
  const unplaced = error && !FIELDS.some((f) => fieldError(error, f)) ? refusalOf(error) : null;

  return (
    <form onSubmit={submit} noValidate aria-label="Add a volume" className="flex flex-col gap-3">
      <div className="grid gap-3 sm:grid-cols-[minmax(0,1fr)_minmax(0,2fr)_auto] sm:items-start">
        <Field label="Volume name" placeholder="data" value={name} onChange={(e) => setName(e.target.value)} error={onField('name')} hint="Lower-case letters, digits and '-'" spellCheck={false} autoCapitalize="none" />
        <Field label="Mount path" placeholder="/data" value={mountPath} onChange={(e) => setMountPath(e.target.value)} error={onField('mountPath')} hint="Where the container sees it, like /var/lib/postgresql/data" spellCheck={false} autoCapitalize="none" />
        <Button type="submit" className="justify-center sm:mt-6" disabled={loading}><Plus size={14} aria-hidden /> {loading ? 'Adding…' : 'Add volume'}</Button>
      </div>
      <ErrorNotice error={unplaced ? { message: unplaced } : null} />
      {added && <p role="status" className="text-sm text-emerald-700 dark:text-emerald-400">{added}</p>}
    </form>
  );
};
