import { randomBytes } from 'node:crypto';
import { ulid } from 'ulid';
import { newCommandMetadata, sendCommand } from '@slipway/messaging';
import { AddMember, ChangeMemberRole, InviteMember, RemoveMember } from '@slipway/proto';
import { asGraphqlError } from '../command-errors';
import type { GatewayContext } from '../gateway-context';
import { forbidden, roleIn } from '../auth/principal';
import type { Role } from '../auth/roles';
import { awaitView } from '../read-models/await-view';
import { findUserByEmail, normaliseEmail } from './accounts';
import { tokenHash } from './credentials';
import type { MemberView } from './identity.projection';

const INVITATION_DAYS = 7;

/** Admins manage members, but only an owner makes or unmakes an owner. */
export const demandOwnerFor = (ctx: GatewayContext, projectId: string, ...roles: (Role | undefined)[]) => {
  if (roles.includes('owner') && roleIn(ctx.principal!, projectId) !== 'owner') {
    throw forbidden('Only a project owner can grant, change or remove the owner role');
  }
};


export const currentMember = async (ctx: GatewayContext, projectId: string, userId: string) => {
  await ctx.views.ready();
  const member = ctx.views.get<MemberView>('members', `${projectId}:${userId}`);
  return member && !member.removed ? member : undefined;
};

/** Someone with an account joins at once; anyone else gets a code to sign up with, shown this once. */
export const inviteMember = async (ctx: GatewayContext, args: { projectId: string; email: string; role: Role }) => {
  const email = normaliseEmail(args.email);
  demandOwnerFor(ctx, args.projectId, args.role);
  const metadata = newCommandMetadata(ctx.actor);
  const existing = await findUserByEmail(ctx, email);
  if (existing) {
    await sendCommand(ctx.platform.connection, AddMember, { projectId: args.projectId, userId: existing.id, email, role: args.role }, metadata).catch(asGraphqlError);
    await awaitView(ctx, 'members', `${args.projectId}:${existing.id}`);
    return { id: null, projectId: args.projectId, email, role: args.role, code: null, joined: true, expiresAt: null };
  }
  const code = `slw_i_${randomBytes(24).toString('base64url')}`;
  const invitationId = `inv_${ulid().toLowerCase()}`;
  const expiresAt = new Date(Date.now() + INVITATION_DAYS * 86_400_000).toISOString();
  await sendCommand(
    ctx.platform.connection,
    InviteMember,
    { projectId: args.projectId, invitationId, email, role: args.role, codeHash: tokenHash(code), expiresAt },
    metadata,
  ).catch(asGraphqlError);
  await awaitView(ctx, 'invitations', invitationId);
  return { id: invitationId, projectId: args.projectId, email, role: args.role, code, joined: false, expiresAt };
};

export const setMemberRole = async (ctx: GatewayContext, args: { projectId: string; userId: string; role: Role }) => {
  const member = await currentMember(ctx, args.projectId, args.userId);
  demandOwnerFor(ctx, args.projectId, args.role, member?.role);
  await sendCommand(ctx.platform.connection, ChangeMemberRole, args, newCommandMetadata(ctx.actor)).catch(asGraphqlError);
  return awaitView<MemberView>(ctx, 'members', `${args.projectId}:${args.userId}`, (m) => m.role === args.role);
};

export const removeMember = async (ctx: GatewayContext, args: { projectId: string; userId: string }) => {
  const member = await currentMember(ctx, args.projectId, args.userId);
  demandOwnerFor(ctx, args.projectId, member?.role);
  await sendCommand(ctx.platform.connection, RemoveMember, args, newCommandMetadata(ctx.actor)).catch(asGraphqlError);
  await awaitView<MemberView>(ctx, 'members', `${args.projectId}:${args.userId}`, (m) => m.removed);
  return true;
};

export const projectMembers = async (ctx: GatewayContext, projectId: string) => {
  await ctx.views.ready();
  return ctx.views
    .all<MemberView>('members')
    .filter((m) => m.projectId === projectId && !m.removed)
    .sort((a, b) => a.email.localeCompare(b.email));
};
