import type { IncomingMessage } from 'node:http';
import type { ReadStore } from '../read-store';
import type { CredentialView, MemberView, UserView } from '../identity/identity.projection';
import { SESSION_COOKIE, tokenHash } from '../identity/credentials';
import type { Principal } from './principal';

/** The token a request carries: `Authorization: Bearer <token>` first, else the session cookie. */
export const tokenOf = (headers: IncomingMessage['headers'] | undefined, connectionParams?: Record<string, unknown>): string | undefined => {
  const authorization = (connectionParams?.authorization ?? connectionParams?.Authorization ?? headers?.authorization) as string | undefined;
  const bearer = /^Bearer\s+(\S+)$/i.exec(authorization ?? '')?.[1];
  if (bearer) return bearer;
  for (const part of (headers?.cookie ?? '').split(';')) {
    const [name, ...value] = part.trim().split('=');
    if (name === SESSION_COOKIE && value.length) return decodeURIComponent(value.join('='));
  }
  return undefined;
};

/**
 * Who holds this token, read fresh from the read models on every request: a sign-out or a token
 * revoked on any gateway instance takes effect at once on all of them.
 */
export const readPrincipal = async (readStore: ReadStore, token: string | undefined, now = new Date()): Promise<Principal | null> => {
  if (!token) return null;
  const db = await readStore.db();
  const credential = await db.collection<CredentialView & { _id: string }>('credentials').findOne({ _id: tokenHash(token) });
  if (!credential || credential.revokedAt || credential.expiresAt <= now.toISOString()) return null;
  const [user, memberships] = await Promise.all([
    db.collection<UserView & { _id: string }>('users').findOne({ _id: credential.userId }),
    db.collection<MemberView & { _id: string }>('members').find({ userId: credential.userId, removed: false }).toArray(),
  ]);
  if (!user) return null;
  return {
    userId: user.id,
    email: user.email,
    instanceOwner: user.instanceOwner,
    memberships: new Map(memberships.map((m) => [m.projectId, m.role])),
    credential: credential.kind === 'session' ? { kind: 'session', id: credential.id } : { kind: 'api-token', id: credential.id, scopes: credential.scopes ?? [] },
  };
};
