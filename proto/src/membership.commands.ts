import { z } from 'zod';
import { defineCommand } from './commands';
import { id, timestamp } from './events/common';
import { email, sha256Hex } from './events/identity.events';
import { memberRole } from './events/membership.events';

/** Membership changes, decided by the project service on the project's membership stream. */
export const InviteMember = defineCommand(
  'project',
  'invite-member',
  z.object({ projectId: id, invitationId: id, email, role: memberRole, codeHash: sha256Hex, expiresAt: timestamp }),
);
/** Someone who already has an account joins at once. */
export const AddMember = defineCommand('project', 'add-member', z.object({ projectId: id, userId: id, email, role: memberRole }));
export const AcceptInvitation = defineCommand(
  'project',
  'accept-invitation',
  z.object({ projectId: id, invitationId: id, userId: id, email }),
);
export const ChangeMemberRole = defineCommand('project', 'change-member-role', z.object({ projectId: id, userId: id, role: memberRole }));
export const RemoveMember = defineCommand('project', 'remove-member', z.object({ projectId: id, userId: id }));

/** An owner or admin takes back an invitation nobody has used yet: its code stops working. */
export const RevokeInvitation = defineCommand('project', 'revoke-invitation', z.object({ projectId: id, invitationId: id }));

export const membershipCommands = [InviteMember, AddMember, AcceptInvitation, ChangeMemberRole, RemoveMember, RevokeInvitation] as const;
