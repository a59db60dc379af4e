import { deciderSpec } from '@slipway/testing';
import { membershipDecider, type MembershipEvent } from './membership.decider';

const codeHash = 'aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa';
const invited: MembershipEvent = {
  type: 'MemberInvited',
  data: { projectId: 'p_1', invitationId: 'inv_1', email: 'grace@example.com', role: 'developer', codeHash, expiresAt: '2026-12-05T10:00:00.000Z' },
};
const ownerJoined: MembershipEvent = { type: 'MemberJoined', data: { projectId: 'p_1', userId: 'u_1', email: 'ada@example.com', role: 'owner' } };
const graceJoined: MembershipEvent = {
  type: 'MemberJoined',
  data: { projectId: 'p_1', userId: 'u_2', email: 'grace@example.com', role: 'developer', invitationId: 'inv_1' },
};
const accept = (now: string, email = 'grace@example.com') => ({
  type: 'AcceptInvitation' as const,
  data: { projectId: 'p_1', invitationId: 'inv_1', userId: 'u_2', email },
  now,
});
const { given } = deciderSpec(membershipDecider);

describe('membership decider', () => {
  it('invites someone once, and not someone who is already a member', () => {
    given([]).when({ type: 'InviteMember', data: invited.data as never }).then([invited]);
    given([invited]).when({ type: 'InviteMember', data: invited.data as never }).then([]);
    given([ownerJoined])
      .when({ type: 'InviteMember', data: { ...(invited.data as object), invitationId: 'inv_2', email: 'ada@example.com' } as never })
      .thenThrows('ada@example.com is already a member; change their role instead');
  });

  it('lets the invited address join with the invited role until the invitation expires, once', () => {
    given([invited]).when(accept('2026-11-29T10:00:00.000Z')).then([graceJoined]);
    given([invited]).when(accept('2026-12-06T10:00:00.000Z')).thenThrows('This invitation has expired; ask for a new one');
    given([invited]).when(accept('2026-11-29T10:00:00.000Z', 'eve@example.com')).thenThrows('This invitation is for grace@example.com; sign up with that address');
    given([invited, graceJoined]).when(accept('2026-11-29T10:00:00.000Z')).then([]);
    given([]).when(accept('2026-11-29T10:00:00.000Z')).thenThrows('This invitation does not exist; ask for a new one');
  });

  it('revokes a pending invitation once, so its code no longer signs anyone up', () => {
    const revoke = { type: 'RevokeInvitation' as const, data: { projectId: 'p_1', invitationId: 'inv_1' } };
    const revoked: MembershipEvent = { type: 'InvitationRevoked', data: { projectId: 'p_1', invitationId: 'inv_1', email: 'grace@example.com' } };
    given([invited]).when(revoke).then([revoked]);
    given([invited, revoked]).when(revoke).then([]);
    given([invited, revoked]).when(accept('2026-11-29T10:00:00.000Z')).thenThrows('This invitation was withdrawn; ask for a new one');
    given([invited, graceJoined]).when(revoke).thenThrows('grace@example.com has already joined with this invitation: remove them from the members instead');
    given([]).when(revoke).thenThrows('This project has no such invitation');
  });

  it('changes roles and removes members, but never the last owner', () => {
    given([ownerJoined, graceJoined])
      .when({ type: 'ChangeMemberRole', data: { projectId: 'p_1', userId: 'u_2', role: 'admin' } })
      .then([{ type: 'MemberRoleChanged', data: { projectId: 'p_1', userId: 'u_2', role: 'admin' } }]);
    given([ownerJoined, graceJoined])
      .when({ type: 'ChangeMemberRole', data: { projectId: 'p_1', userId: 'u_1', role: 'viewer' } })
      .thenThrows(/only owner: make someone else owner before you change their role/);
    given([ownerJoined, graceJoined])
      .when({ type: 'RemoveMember', data: { projectId: 'p_1', userId: 'u_2' } })
      .then([{ type: 'MemberRemoved', data: { projectId: 'p_1', userId: 'u_2' } }]);
    given([ownerJoined]).when({ type: 'RemoveMember', data: { projectId: 'p_1', userId: 'u_1' } }).thenThrows(/only owner/);
    given([ownerJoined]).when({ type: 'RemoveMember', data: { projectId: 'p_1', userId: 'u_9' } }).then([]);
    given([ownerJoined])
      .when({ type: 'ChangeMemberRole', data: { projectId: 'p_1', userId: 'u_9', role: 'admin' } })
      .thenThrows('User u_9 is not a member of this project');
  });
});
