import { useMutation } from '@apollo/client/react';
import { UserPlus } from 'lucide-react';
import { useState, type FormEvent } from 'react';
import { fieldError, formError } from '../app/field-errors';
import type { Role } from '../graphql/graphql';
import { Button } from '../ui/button';
import { OnceValue } from '../ui/copy-button';
import { Field } from '../ui/field';
import { ErrorNotice } from '../ui/notice';
import { Select } from '../ui/select';
import { MembersInvite } from './members-documents';
import { roles } from './roles';

/** Invite by email: a new person gets a sign-up link (shown once); someone with an account joins at once. */
export const InviteForm = ({ projectId, onInvited }: { projectId: string; onInvited?: () => void }) => {
  const [email, setEmail] = useState('');
  const [role, setRole] = useState<Role>('DEVELOPER');
  const [invite, { data, loading, error, reset }] = useMutation(MembersInvite);
  const result = data?.inviteMember;
  const submit = async (e: FormEvent) => {
    e.preventDefault();
    const { data: done } = await invite({ variables: { projectId, email: email.trim(), role } }).catch(() => ({ data: undefined }));
    if (done) {
      setEmail('');
      onInvited?.();
    }
  };
  return (
    <div className="flex flex-col gap-3">
      <form onSubmit={submit} className="flex flex-wrap items-start gap-2" aria-label="Invite a member">
        <div className="min-w-56 flex-1">
          <Field label="Email" type="email" autoComplete="off" placeholder="alex@example.com" required value={email} onChange={(e) => { setEmail(e.target.value); if (result) reset(); }} error={fieldError(error, 'email')} />
        </div>
        <div className="flex items-end gap-2">
          <Select label="Role" value={role} onChange={(e) => setRole(e.target.value as Role)} error={fieldError(error, 'role')} options={roles.map((r) => ({ value: r.value, label: r.label }))} />
          <Button type="submit" className="mb-px py-[7px]" disabled={loading || !email.trim()}><UserPlus size={16} aria-hidden /> {loading ? 'Inviting…' : 'Invite'}</Button>
        </div>
      </form>
      <p className="text-xs text-slate-500 dark:text-slate-400">{roles.find((r) => r.value === role)?.label}: {roles.find((r) => r.value === role)?.description}.</p>
      <ErrorNotice error={formError(error, ['email', 'role'])} />
      {result?.joined && (
        <p role="status" className="rounded-md border border-emerald-300 bg-emerald-50 px-3 py-2 text-sm text-emerald-900 dark:border-emerald-800 dark:bg-emerald-950 dark:text-emerald-200">
          {result.email} already had an account and joined as {result.role.toLowerCase()}.
        </p>
      )}
      {result?.code && (
        <div role="status" className="flex flex-col gap-2 rounded-md border border-amber-300 bg-amber-50 p-3 dark:border-amber-700 dark:bg-amber-950">
          <OnceValue label={`Invitation link for ${result.email}`} value={`${location.origin}/invite/${result.code}`} />
          <p className="text-xs text-amber-900 dark:text-amber-200">
            Send this link to {result.email} yourself: Slipway does not email it. It is shown this once{result.expiresAt ? ` and works until ${new Date(result.expiresAt).toLocaleDateString()}` : ''}.
          </p>
        </div>
      )}
    </div>
  );
};
