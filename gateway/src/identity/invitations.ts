import { newCommandMetadata, sendCommand } from '@slipway/messaging';
import { RevokeInvitation } from '@slipway/proto';
import { asGraphqlError, badInput } from '../command-errors';
import type { GatewayContext } from '../gateway-context';
import { awaitView } from '../read-models/await-view';
import { strip } from '../read-models/projection-runner';
import type { InvitationView } from './identity.projection';
import { demandOwnerFor } from './members';

const invitations = async (ctx: GatewayContext) => (await ctx.readStore.db()).collection<InvitationView & { _id: string }>('invitations');

const isPending = (invitation: InvitationView, now: string) => !invitation.acceptedBy && !invitation.revokedAt && invitation.expiresAt > now;

/** Invitations of a project that nobody has used, withdrawn or let expire yet; newest first. The code is never returned. */
export const pendingInvitations = async (ctx: GatewayContext, projectId: string) => {
  const now = new Date().toISOString();
  const docs = (await (await invitations(ctx)).find({ projectId }).toArray()).map((d) => strip(d) as InvitationView);
  return docs
    .filter((i) => isPending(i, now))
    .sort((a, b) => (b.invitedAt ?? '').localeCompare(a.invitedAt ?? '') || b.id.localeCompare(a.id))
    .map(({ codeHash: _hidden, ...invitation }) => ({ ...invitation, invitedAt: invitation.invitedAt ?? null }));
};

/** Takes back a pending invitation: its link stops working at once. Withdrawing an owner's invitation takes an owner. */
export const revokeInvitation = async (ctx: GatewayContext, args: { projectId: string; invitationId: string }) => {
  const invitation = await (await invitations(ctx)).findOne({ _id: args.invitationId });
  if (!invitation || invitation.projectId !== args.projectId) throw badInput('This project has no such invitation', 'invitationId');
  demandOwnerFor(ctx, args.projectId, invitation.role);
  await sendCommand(ctx.platform.connection, RevokeInvitation, args, newCommandMetadata(ctx.actor)).catch(asGraphqlError);
  await awaitView<InvitationView>(ctx, 'invitations', args.invitationId, (i) => Boolean(i.revokedAt));
  return true;
};
