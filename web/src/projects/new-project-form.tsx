import { useMutation } from '@apollo/client/react';
import { Plus } from 'lucide-react';
import { useState, type FormEvent } from 'react';
import { fieldError, formError } from '../app/field-errors';
import { inputRules } from '../app/input-rules';
import { gql } from '../graphql';
import { Button } from '../ui/button';
import { Field } from '../ui/field';
import { ErrorNotice } from '../ui/notice';

const CreateProject = gql(`
  mutation CreateProject($name: String!) { createProject(input: { name: $name }) { id name } }
`);

/** The instance owner's: a name checked as the API checks it, then the new project's page. */
export const NewProjectForm = ({ onCreated }: { onCreated: (id: string) => void }) => {
  const [name, setName] = useState('');
  const [problem, setProblem] = useState<string | null>(null);
  const [create, { loading, error, reset }] = useMutation(CreateProject);
  const submit = async (e: FormEvent) => {
    e.preventDefault();
    reset();
    const found = inputRules.name(name);
    setProblem(found);
    if (found) return;
    const { data } = await create({ variables: { name: name.trim() } }).catch(() => ({ data: undefined }));
    if (data) onCreated(data.createProject.id);
  };
  return (
    <form onSubmit={submit} noValidate className="flex flex-wrap items-end gap-2" aria-label="New project">
      <div className="min-w-0 flex-1 basis-64">
        <Field label="New project" placeholder="shop" hint="Lower-case letters, digits and '-': it becomes part of every hostname" value={name} onChange={(e) => setName(e.target.value)} error={problem ?? fieldError(error, 'name')} />
      </div>
      <Button type="submit" disabled={loading || !name}><Plus size={16} aria-hidden /> Create project</Button>
      <div className="w-full"><ErrorNotice error={formError(error, ['name'])} /></div>
    </form>
  );
};
