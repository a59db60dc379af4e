import type { StoredEvent } from '@slipway/event-store';
import type { Projection } from '../read-models/projection';
import type { Role, TokenScope } from '../auth/roles';

/** An account as the gateway needs it to sign people in; never returned whole by the API. */
export interface UserView {
  id: string;
  email: string;
  passwordHash: string;
  instanceOwner: boolean;
  createdAt: string;
}

/** A session or API token, found by the hash of what its holder sends. */
export interface CredentialView {
  tokenHash: string;
  kind: 'session' | 'api-token';
  id: string;
  userId: string;
  name: string | null;
  scopes: TokenScope[] | null;
  createdAt: string;
  expiresAt: string;
  revokedAt: string | null;
}

export interface MemberView {
  projectId: string;
  userId: string;
  email: string;
  role: Role;
  removed: boolean;
}

export interface InvitationView {
  id: string;
  projectId: string;
  email: string;
  role: Role;
  codeHash: string;
  expiresAt: string;
  acceptedBy: string | null;
  /** Absent on documents projected before invitations could be revoked or listed. */
  invitedAt?: string;
  revokedAt?: string | null;
}

const str = (e: StoredEvent, key: string) => String(e.data[key]);

export const usersProjection: Projection<UserView> = {
  name: 'users-view',
  collection: 'users',
  sources: [{ context: 'identity', aggregate: 'user' }],
  types: ['UserSignedUp'],
  documentId: (e) => str(e, 'userId'),
  evolve: (_view, e) => ({
    id: str(e, 'userId'),
    email: str(e, 'email'),
    passwordHash: str(e, 'passwordHash'),
    instanceOwner: e.data.instanceOwner === true,
    createdAt: str(e, 'signedUpAt'),
  }),
};

export const credentialsProjection: Projection<CredentialView> = {
  name: 'credentials-view',
  collection: 'credentials',
  sources: [{ context: 'identity', aggregate: 'user' }],
  types: ['SessionStarted', 'SessionEnded', 'ApiTokenCreated', 'ApiTokenRevoked'],
  documentId: (e) => str(e, 'tokenHash'),
  evolve: (view, e) => {
    switch (e.type) {
      case 'SessionStarted':
        return { tokenHash: str(e, 'tokenHash'), kind: 'session', id: str(e, 'sessionId'), userId: str(e, 'userId'), name: null, scopes: null, createdAt: str(e, 'startedAt'), expiresAt: str(e, 'expiresAt'), revokedAt: null };
      case 'ApiTokenCreated':
        return { tokenHash: str(e, 'tokenHash'), kind: 'api-token', id: str(e, 'tokenId'), userId: str(e, 'userId'), name: str(e, 'name'), scopes: e.data.scopes as TokenScope[], createdAt: str(e, 'createdAt'), expiresAt: str(e, 'expiresAt'), revokedAt: null };
      case 'SessionEnded':
        return view && { ...view, revokedAt: str(e, 'endedAt') };
      case 'ApiTokenRevoked':
        return view && { ...view, revokedAt: str(e, 'revokedAt') };
      default:
        return null;
    }
  },
};

export const membersProjection: Projection<MemberView> = {
  name: 'members-view',
  collection: 'members',
  sources: [{ context: 'project', aggregate: 'membership' }],
  types: ['MemberJoined', 'MemberRoleChanged', 'MemberRemoved'],
  documentId: (e) => `${str(e, 'projectId')}:${str(e, 'userId')}`,
  evolve: (view, e) => {
    switch (e.type) {
      case 'MemberJoined':
        return { projectId: str(e, 'projectId'), userId: str(e, 'userId'), email: str(e, 'email'), role: e.data.role as Role, removed: false };
      case 'MemberRoleChanged':
        return view && { ...view, role: e.data.role as Role };
      case 'MemberRemoved':
        return view && { ...view, removed: true };
      default:
        return null;
    }
  },
};

export const invitationsProjection: Projection<InvitationView> = {
  name: 'invitations-view',
  collection: 'invitations',
  sources: [{ context: 'project', aggregate: 'membership' }],
  types: ['MemberInvited', 'MemberJoined', 'InvitationRevoked'],
  documentId: (e) => (typeof e.data.invitationId === 'string' ? e.data.invitationId : undefined),
  evolve: (view, e) => {
    switch (e.type) {
      case 'MemberInvited':
        return {
          id: str(e, 'invitationId'),
          projectId: str(e, 'projectId'),
          email: str(e, 'email'),
          role: e.data.role as Role,
          codeHash: str(e, 'codeHash'),
          expiresAt: str(e, 'expiresAt'),
          acceptedBy: null,
          invitedAt: e.occurredAt,
          revokedAt: null,
        };
      case 'MemberJoined':
        return view && { ...view, acceptedBy: str(e, 'userId') };
      case 'InvitationRevoked':
        return view && { ...view, revokedAt: e.occurredAt };
      default:
        return null;
    }
  },
};
