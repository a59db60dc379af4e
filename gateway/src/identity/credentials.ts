import { createHash, randomBytes } from 'node:crypto';

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
