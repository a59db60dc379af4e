import { assertNever, type Decider } from '@slipway/event-store';
import { DomainError } from '@slipway/messaging';
import type {
  AcceptInvitation,
  AddMember,
  ChangeMemberRole,
  EventData,
  InvitationRevoked,
  InviteMember,
  MemberInvited,
  MemberJoined,
  MemberRemoved,
  MemberRoleChanged,
  RemoveMember,
  RevokeInvitation,
} from '@slipway/proto';
import type { z } from 'zod';

type Data<C extends { schema: z.ZodObject }> = z.infer<C['schema']>;

export type MembershipCommand =
  | { type: 'InviteMember'; data: Data<typeof InviteMember> }
  | { type: 'AddMember'; data: Data<typeof AddMember> }
  | { type: 'AcceptInvitation'; data: Data<typeof AcceptInvitation>; now: string }
  | { type: 'ChangeMemberRole'; data: Data<typeof ChangeMemberRole> }
  | { type: 'RemoveMember'; data: Data<typeof RemoveMember> }
  | { type: 'RevokeInvitation'; data: Data<typeof RevokeInvitation> };

export type MembershipEvent =
  | { type: 'MemberInvited'; data: EventData<typeof MemberInvited> }
  | { type: 'MemberJoined'; data: EventData<typeof MemberJoined> }
  | { type: 'MemberRoleChanged'; data: EventData<typeof MemberRoleChanged> }
  | { type: 'MemberRemoved'; data: EventData<typeof MemberRemoved> }
  | { type: 'InvitationRevoked'; data: EventData<typeof InvitationRevoked> };

type Role = EventData<typeof MemberJoined>['role'];

export interface MembershipState {
  members: Record<string, { email: string; role: Role }>;
  invitations: Record<string, { email: string; role: Role; expiresAt: string; accepted: boolean; revoked?: boolean }>;
}

const memberByEmail = (state: MembershipState, email: string) => Object.values(state.members).some((m) => m.email === email);

const owners = (state: MembershipState) => Object.values(state.members).filter((m) => m.role === 'owner').length;

const existingMember = (state: MembershipState, userId: string) => {
  const member = state.members[userId];
  if (!member) throw new DomainError('MEMBER_NOT_FOUND', `User ${userId} is not a member of this project`, 'userId');
  return member;
};

/** A project keeps at least one owner among its members once it has one. */
const keepAnOwner = (state: MembershipState, userId: string, change: string) => {
  if (state.members[userId]?.role === 'owner' && owners(state) === 1) {
    throw new DomainError('LAST_OWNER', `${state.members[userId].email} is the project's only owner: make someone else owner before you ${change}`, 'userId');
  }
};

const decide = (command: MembershipCommand, state: MembershipState): MembershipEvent[] => {
  switch (command.type) {
    case 'InviteMember': {
      const { data } = command;
      if (state.invitations[data.invitationId]) return []; // the same request again
      if (memberByEmail(state, data.email)) {
        throw new DomainError('ALREADY_MEMBER', `${data.email} is already a member; change their role instead`, 'email');
      }
      return [{ type: 'MemberInvited', data }];
    }
    case 'AddMember': {
      const { data } = command;
      const current = state.members[data.userId];
      if (current?.role === data.role) return [];
      if (current) throw new DomainError('ALREADY_MEMBER', `${data.email} is already a member; change their role instead`, 'email');
      return [{ type: 'MemberJoined', data }];
    }
    case 'AcceptInvitation': {
      const { data, now } = command;
      const invitation = state.invitations[data.invitationId];
      if (!invitation) throw new DomainError('INVITATION_NOT_FOUND', 'This invitation does not exist; ask for a new one', 'invitation');
      if (invitation.accepted) {
        if (state.members[data.userId]) return [];
        throw new DomainError('INVITATION_USED', 'This invitation was already used; ask for a new one', 'invitation');
      }
      if (invitation.revoked) throw new DomainError('INVITATION_REVOKED', 'This invitation was withdrawn; ask for a new one', 'invitation');
      if (invitation.expiresAt <= now) throw new DomainError('INVITATION_EXPIRED', 'This invitation has expired; ask for a new one', 'invitation');
      if (invitation.email !== data.email) {
        throw new DomainError('INVITATION_EMAIL_MISMATCH', `This invitation is for ${invitation.email}; sign up with that address`, 'email');
      }
      return [{ type: 'MemberJoined', data: { projectId: data.projectId, userId: data.userId, email: data.email, role: invitation.role, invitationId: data.invitationId } }];
    }
    case 'ChangeMemberRole': {
      const member = existingMember(state, command.data.userId);
      if (member.role === command.data.role) return [];
      if (command.data.role !== 'owner') keepAnOwner(state, command.data.userId, 'change their role');
      return [{ type: 'MemberRoleChanged', data: command.data }];
    }
    case 'RemoveMember':
      if (!state.members[command.data.userId]) return []; // already gone
      keepAnOwner(state, command.data.userId, 'remove them');
      return [{ type: 'MemberRemoved', data: command.data }];
    case 'RevokeInvitation': {
      const invitation = state.invitations[command.data.invitationId];
      if (!invitation) throw new DomainError('INVITATION_NOT_FOUND', 'This project has no such invitation', 'invitationId');
      if (invitation.revoked) return []; // already withdrawn
      if (invitation.accepted) {
        throw new DomainError('INVITATION_USED', `${invitation.email} has already joined with this invitation: remove them from the members instead`, 'invitationId');
      }
      return [{ type: 'InvitationRevoked', data: { ...command.data, email: invitation.email } }];
    }
    default:
      return assertNever(command);
  }
};

const evolve = (state: MembershipState, event: MembershipEvent): MembershipState => {
  switch (event.type) {
    case 'MemberInvited': {
      const { invitationId, email, role, expiresAt } = event.data;
      return { ...state, invitations: { ...state.invitations, [invitationId]: { email, role, expiresAt, accepted: false } } };
    }
    case 'MemberJoined': {
      const { userId, email, role, invitationId } = event.data;
      const invitations = invitationId && state.invitations[invitationId]
        ? { ...state.invitations, [invitationId]: { ...state.invitations[invitationId], accepted: true } }
        : state.invitations;
      return { members: { ...state.members, [userId]: { email, role } }, invitations };
    }
    case 'MemberRoleChanged': {
      const member = state.members[event.data.userId];
      return member ? { ...state, members: { ...state.members, [event.data.userId]: { ...member, role: event.data.role } } } : state;
    }
    case 'MemberRemoved': {
      const { [event.data.userId]: _removed, ...members } = state.members;
      return { ...state, members };
    }
    case 'InvitationRevoked': {
      const invitation = state.invitations[event.data.invitationId];
      return invitation ? { ...state, invitations: { ...state.invitations, [event.data.invitationId]: { ...invitation, revoked: true } } } : state;
    }
    default:
      return state;
  }
};

export const membershipDecider: Decider<MembershipCommand, MembershipEvent, MembershipState> = {
  decide,
  evolve,
  initialState: { members: {}, invitations: {} },
};
