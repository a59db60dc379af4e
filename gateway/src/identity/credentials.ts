import { createHash, randomBytes } from 'node:crypto';
import { ulid } from 'ulid';

/**
 * Session and API tokens: 32 random bytes the holder keeps; only their SHA-256 is stored (events
 * and read models), so a leaked database does not sign anyone in.
 */
export const newToken = (kind: 'session' | 'api-token'): string => `${kind === 'session' ? 'slw_s' : 'slw_t'}_${randomBytes(32).toString('base64url')}`;

export const tokenHash = (token: string): string => createHash('sha256').update(token).digest('hex');

/** Stream ids allow only [A-Za-z0-9_-]: an email's stream is keyed by its hash. */
export const emailKey = (email: string): string => createHash('sha256').update(email).digest('hex').slice(0, 40);

export const SESSION_COOKIE = 'slipway_session';
export const SESSION_DAYS = 30;

/** A new session for a user: the token its holder keeps, and the SessionStarted data (only its hash). */
export const newSession = (userId: string, now: Date, lifetimeMs: number) => {
  const token = newToken('session');
  const data = {
    userId,
    sessionId: `ses_${ulid().toLowerCase()}`,
    tokenHash: tokenHash(token),
    startedAt: now.toISOString(),
    expiresAt: new Date(now.getTime() + lifetimeMs).toISOString(),
  };
  return { token, data };
};
