import { z } from 'zod';
import { defineEvent } from '../event-definition';
import { id, timestamp } from './common';
import { email, sha256Hex } from './identity.events';

/** Who belongs to a project, with which role: one membership stream per project. */
const membership = { context: 'project', aggregate: 'membership' } as const;

export const memberRole = z.enum(['owner', 'admin', 'developer', 'viewer']);

/** An invitation for someone without an account yet; they sign up with its code (stored hashed). */
export const MemberInvited = defineEvent(
  'MemberInvited',
  membership,
  z.object({ projectId: id, invitationId: id, email, role: memberRole, codeHash: sha256Hex, expiresAt: timestamp }),
);

export const MemberJoined = defineEvent(
  'MemberJoined',
  membership,
  z.object({ projectId: id, userId: id, email, role: memberRole, invitationId: id.optional() }),
);

export const MemberRoleChanged = defineEvent('MemberRoleChanged', membership, z.object({ projectId: id, userId: id, role: memberRole }));

export const MemberRemoved = defineEvent('MemberRemoved', membership, z.object({ projectId: id, userId: id }));

/** A pending invitation taken back before anyone used it; its code no longer signs anyone up. */
export const InvitationRevoked = defineEvent('InvitationRevoked', membership, z.object({ projectId: id, invitationId: id, email }));

export const membershipEvents = [MemberInvited, MemberJoined, MemberRoleChanged, MemberRemoved, InvitationRevoked] as const;
