import { useMutation, useQuery, useSubscription } from '@apollo/client/react';
import { Trash2 } from 'lucide-react';
import { useState } from 'react';
import { useParams } from 'react-router';
import { MeQuery } from '../app/session';
import type { Role } from '../graphql/graphql';
import { InviteForm } from '../members/invite-form';
import { PendingInvitations } from '../members/pending-invitations';
import { MembersChanged, MembersPageQuery, MembersRemove, MembersSetRole } from '../members/members-documents';
import { roles } from '../members/roles';
import { Breadcrumbs } from '../ui/breadcrumbs';
import { Button } from '../ui/button';
import { ConfirmDialog } from '../ui/confirm-dialog';
import { Card, EmptyState, ErrorNotice } from '../ui/notice';
import { Select } from '../ui/select';

/** Who is in a project and with what role; owners and admins invite, change roles and remove. */
export const Page = () => {
  const { projectId = '' } = useParams();
  const { data, loading, error, refetch } = useQuery(MembersPageQuery, { variables: { projectId } });
  const me = useQuery(MeQuery);
  useSubscription(MembersChanged, { onData: () => void refetch() });
  const [setRole, roleState] = useMutation(MembersSetRole);
  const [remove, removeState] = useMutation(MembersRemove);
  const project = data?.projects.find((p) => p.id === projectId);
  const myRole = me.data?.me.instanceOwner ? 'OWNER' : me.data?.me.memberships.find((m) => m.projectId === projectId)?.role;
  const canManage = myRole === 'OWNER' || myRole === 'ADMIN';
  const [invited, setInvited] = useState(0);
  // The instance owner owns every project without being a member: they are listed, so the page never says "no members" to an owner.
  const instanceOwner = me.data?.me.instanceOwner && !data?.members.some((m) => m.userId === me.data?.me.id) ? me.data.me : null;
  const memberCount = (data?.members.length ?? 0) + (instanceOwner ? 1 : 0);

  return (
    <div className="flex max-w-4xl flex-col gap-6">
      <div className="flex flex-col gap-2">
        <Breadcrumbs items={[{ label: 'Projects', to: '/' }, { label: project?.name ?? 'Project', to: `/projects/${projectId}` }, { label: 'Members' }]} />
        <h1 className="text-2xl font-semibold">Members</h1>
      </div>
      {canManage && (
        <Card>
          <h2 className="mb-3 text-lg font-medium">Invite someone</h2>
          <InviteForm projectId={projectId} onInvited={() => { void refetch(); setInvited(invited + 1); }} />
        </Card>
      )}
      <ErrorNotice error={error} />
      <ErrorNotice error={roleState.error ?? removeState.error} />
      {loading && !data && <p className="text-sm text-slate-500 dark:text-slate-400">Loading…</p>}
      {data && memberCount === 0 && (
        <EmptyState title="No members yet">
          {canManage ? 'Invite people above: each gets a sign-up link, or joins at once if they already have an account.' : 'Ask an owner or admin to invite people.'}
        </EmptyState>
      )}
      {data && memberCount > 0 && (
        <ul className="divide-y divide-slate-200 rounded-lg border border-slate-200 bg-white dark:divide-slate-800 dark:border-slate-800 dark:bg-slate-900" aria-label="Members">
          {instanceOwner && (
            <li className="flex flex-wrap items-center gap-3 p-3">
              <span className="min-w-0 flex-1 basis-48 truncate text-sm">{instanceOwner.email} <span className="text-slate-500 dark:text-slate-400">(you)</span></span>
              <span className="text-sm text-slate-600 dark:text-slate-300" title="The instance owner owns every project">Owner, as the instance owner</span>
            </li>
          )}
          {data.members.map((m) => {
            const isMe = m.userId === me.data?.me.id;
            return (
              <li key={m.userId} className="flex flex-wrap items-center gap-3 p-3">
                <span className="min-w-0 flex-1 basis-48 truncate text-sm">
                  {m.email} {isMe && <span className="text-slate-500 dark:text-slate-400">(you)</span>}
                </span>
                {canManage ? (
                  <Select
                    label={`Role of ${m.email}`}
                    hideLabel
                    value={m.role}
                    disabled={roleState.loading}
                    onChange={(e) => {
                      roleState.reset();
                      void setRole({ variables: { projectId, userId: m.userId, role: e.target.value as Role } }).catch(() => undefined);
                    }}
                    options={roles.map((r) => ({ value: r.value, label: r.label }))}
                  />
                ) : (
                  <span className="text-sm text-slate-600 dark:text-slate-300">{roles.find((r) => r.value === m.role)?.label ?? m.role}</span>
                )}
                {canManage && (
                  <ConfirmDialog
                    title={`Remove ${m.email}?`}
                    description={isMe ? 'You will lose access to this project at once.' : `${m.email} will lose access to this project at once. You can invite them again later.`}
                    confirmLabel="Remove"
                    busy={removeState.loading}
                    onConfirm={() => remove({ variables: { projectId, userId: m.userId } }).then(() => refetch()).catch(() => undefined)}
                    trigger={
                      <Button variant="ghost" aria-label={`Remove ${m.email}`}>
                        <Trash2 size={16} aria-hidden /> <span className="hidden sm:inline">Remove</span>
                      </Button>
                    }
                  />
                )}
              </li>
            );
          })}
        </ul>
      )}
      {canManage && <PendingInvitations key={invited} projectId={projectId} />}
      <p className="text-xs text-slate-500 dark:text-slate-400">
        {roles.map((r) => `${r.label}: ${r.description}`).join('. ')}.
      </p>
    </div>
  );
};
