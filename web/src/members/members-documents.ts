import { gql } from '../graphql';

export const MembersPageQuery = gql(`
  query MembersPage($projectId: ID!) {
    members(projectId: $projectId) { projectId userId email role }
    projects { id name }
  }
`);

export const MembersInvite = gql(`
  mutation MembersInvite($projectId: ID!, $email: String!, $role: Role!) {
    inviteMember(projectId: $projectId, email: $email, role: $role) { id email role code joined expiresAt }
  }
`);

export const MembersSetRole = gql(`
  mutation MembersSetRole($projectId: ID!, $userId: ID!, $role: Role!) {
    setMemberRole(projectId: $projectId, userId: $userId, role: $role) { projectId userId email role }
  }
`);

export const MembersRemove = gql(`
  mutation MembersRemove($projectId: ID!, $userId: ID!) { removeMember(projectId: $projectId, userId: $userId) }
`);

export const MembersChanged = gql(`subscription MembersChanged { projectsChanged { at } }`);

/** Owners' and admins' only: who has been invited and not joined yet. */
export const PendingInvitationsQuery = gql(`
  query PendingInvitations($projectId: ID!) { invitations(projectId: $projectId) { id email role invitedAt expiresAt } }
`);

export const RevokeInvitationMutation = gql(`
  mutation RevokeInvitation($projectId: ID!, $invitationId: ID!) { revokeInvitation(projectId: $projectId, invitationId: $invitationId) }
`);
