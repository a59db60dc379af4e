import type { IncomingMessage } from 'node:http';
import type { ViewCache } from '../read-models/view-cache';
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
 * Who holds this token, from the view cache that every gateway instance keeps current from the
 * read models' announcements: a sign-out or a revoked token on any instance takes effect on all.
 * A token the cache does not know yet (signed in on another gateway a moment ago) is looked up in
 * the store by its hash.
 */
export const readPrincipal = async (views: ViewCache, token: string | undefined, now = new Date()): Promise<Principal | null> => {
  if (!token) return null;
  await views.ready();
  const credential = await views.fetch<CredentialView>('credentials', tokenHash(token));
  if (!credential || credential.revokedAt || credential.expiresAt <= now.toISOString()) return null;
  const user = await views.fetch<UserView>('users', credential.userId);
  if (!user) return null;
  const memberships = user.instanceOwner ? [] : views.all<MemberView>('members').filter((m) => m.userId === user.id && !m.removed);
  return {
    userId: user.id,
    email: user.email,
    instanceOwner: user.instanceOwner,
    memberships: new Map(memberships.map((m) => [m.projectId, m.role])),
    credential: credential.kind === 'session' ? { kind: 'session', id: credential.id } : { kind: 'api-token', id: credential.id, scopes: credential.scopes ?? [] },
  };
};
