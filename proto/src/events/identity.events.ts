import { z } from 'zod';
import { defineEvent } from '../event-definition';
import { id, timestamp } from './common';

/** People, their sessions and API tokens: the gateway's own context (the edge of the platform). */
const user = { context: 'identity', aggregate: 'user' } as const;

export const email = z
  .string()
  .max(254, 'must be at most 254 characters')
  .pipe(z.email('must be an email address such as ada@example.com'));
/** A SHA-256 hex digest: credentials are stored only as hashes of what the user holds. */
export const sha256Hex = z.string().regex(/^[0-9a-f]{64}$/, 'must be a SHA-256 hex digest');
export const tokenScope = z.enum(['read', 'deploy', 'admin']);

/** The first sign-up on an empty instance owns it; the claim is a stream of its own, so only one wins. */
export const InstanceOwnerClaimed = defineEvent('InstanceOwnerClaimed', { context: 'identity', aggregate: 'instance' }, z.object({ userId: id }));

/** One account per email address, claimed on a stream keyed by the address's hash. */
export const UserEmailClaimed = defineEvent('UserEmailClaimed', { context: 'identity', aggregate: 'user-email' }, z.object({ email, userId: id }));

export const UserSignedUp = defineEvent(
  'UserSignedUp',
  user,
  z.object({ userId: id, email, passwordHash: z.string().min(1).max(512), instanceOwner: z.boolean(), signedUpAt: timestamp }),
);

export const SessionStarted = defineEvent(
  'SessionStarted',
  user,
  z.object({ userId: id, sessionId: id, tokenHash: sha256Hex, startedAt: timestamp, expiresAt: timestamp }),
);

export const SessionEnded = defineEvent('SessionEnded', user, z.object({ userId: id, sessionId: id, tokenHash: sha256Hex, endedAt: timestamp }));

export const ApiTokenCreated = defineEvent(
  'ApiTokenCreated',
  user,
  z.object({
    userId: id,
    tokenId: id,
    name: z.string().min(1).max(100),
    scopes: z.array(tokenScope).min(1),
    tokenHash: sha256Hex,
    createdAt: timestamp,
    expiresAt: timestamp,
  }),
);

export const ApiTokenRevoked = defineEvent('ApiTokenRevoked', user, z.object({ userId: id, tokenId: id, tokenHash: sha256Hex, revokedAt: timestamp }));

export const identityEvents = [InstanceOwnerClaimed, UserEmailClaimed, UserSignedUp, SessionStarted, SessionEnded, ApiTokenCreated, ApiTokenRevoked] as const;
