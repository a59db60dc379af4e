import { useMutation, useQuery } from '@apollo/client/react';
import { MailX } from 'lucide-react';
import { Button } from '../ui/button';
import { ConfirmDialog } from '../ui/confirm-dialog';
import { ErrorNotice } from '../ui/notice';
import { PendingInvitationsQuery, RevokeInvitationMutation } from './members-documents';
import { roles } from './roles';

/** Invitations sent and not used yet; withdrawing one makes its link stop working at once. */
export const PendingInvitations = ({ projectId }: { projectId: string }) => {
  const { data, error, refetch } = useQuery(PendingInvitationsQuery, { variables: { projectId }, fetchPolicy: 'cache-and-network' });
  const [revoke, revoking] = useMutation(RevokeInvitationMutation);
  const invitations = data?.invitations ?? [];
  return (
    <section aria-labelledby="pending-heading" className="flex flex-col gap-2">
      <h2 id="pending-heading" className="text-lg font-medium">Pending invitations</h2>
      <ErrorNotice error={error ?? revoking.error} />
      {data && invitations.length === 0 && <p className="text-sm text-slate-500 dark:text-slate-400">None: everyone invited has joined, or no one has been invited yet.</p>}
      {invitations.length > 0 && (
        <ul className="divide-y divide-slate-200 rounded-lg border border-slate-200 bg-white dark:divide-slate-800 dark:border-slate-800 dark:bg-slate-900" aria-label="Pending invitations">
          {invitations.map((i) => (
            <li key={i.id} className="flex flex-wrap items-center gap-x-3 gap-y-1 p-3 text-sm">
              <span className="min-w-0 flex-1 basis-48 truncate">{i.email}</span>
              <span className="text-slate-600 dark:text-slate-300">{roles.find((r) => r.value === i.role)?.label ?? i.role}</span>
              <span className="text-xs text-slate-500 dark:text-slate-400">link works until {new Date(i.expiresAt).toLocaleDateString()}</span>
              <ConfirmDialog
                title={`Withdraw the invitation for ${i.email}?`}
                description="The invitation link stops working at once. You can invite them again later."
                confirmLabel="Withdraw invitation"
                busy={revoking.loading}
                onConfirm={() => revoke({ variables: { projectId, invitationId: i.id } }).then(() => refetch()).catch(() => undefined)}
                trigger={
                  <Button variant="ghost" aria-label={`Withdraw the invitation for ${i.email}`}>
                    <MailX size={16} aria-hidden /> <span className="hidden sm:inline">Withdraw</span>
                  </Button>
                }
              />
            </li>
          ))}
        </ul>
      )}
    </section>
  );
};
