import { GraphQLError } from 'graphql';
import { RateLimiter } from './rate-limiter';

/**
 * The gateway's named limits, per minute and per key (the client IP, or what the caller picks),
 * each overridable by its environment variable. 0 there switches the limit off (a test rig, a
 * gateway behind a proxy that limits already).
 * - signIn: slow enough that guessing a password is hopeless, fast enough for typos.
 * - signInPerAddress: one client trying one password against many accounts (with signIn alone,
 *   10 guesses per account and minute, without end); enough for a household or an office behind one address.
 * - signUp: account creation is rare; floods of it are not.
 * - webhooks: git hosts send bursts (a push to several branches, a busy monorepo), never floods.
 * - archiveUploads (per 10 minutes, per user): each upload is up to 200 MB on the gateway's disk; a
 *   CI job uploading on every push, or a person retrying, stays far below 3 a minute.
 * - archiveUploadsPerAddress (per 10 minutes): several people or CI runners behind one address.
 */
export const rateLimits = {
  signIn: { perMinute: 10, env: 'SLIPWAY_RATE_SIGN_IN_PER_MINUTE', what: 'sign-in attempts' },
  signInPerAddress: { perMinute: 30, env: 'SLIPWAY_RATE_SIGN_IN_PER_ADDRESS_PER_MINUTE', what: 'sign-in attempts from this address' },
  signUp: { perMinute: 5, env: 'SLIPWAY_RATE_SIGN_UP_PER_MINUTE', what: 'sign-ups' },
  webhooks: { perMinute: 600, env: 'SLIPWAY_RATE_WEBHOOKS_PER_MINUTE', what: 'webhook deliveries' },
  archiveUploads: { perMinute: 30, windowMinutes: 10, env: 'SLIPWAY_RATE_ARCHIVE_UPLOADS_PER_10_MINUTES', what: 'archive uploads by you' },
  archiveUploadsPerAddress: {
    perMinute: 60,
    windowMinutes: 10,
    env: 'SLIPWAY_RATE_ARCHIVE_UPLOADS_PER_ADDRESS_PER_10_MINUTES',
    what: 'archive uploads from this address',
  },
} as const;

/** A limit's window: one minute unless it names more ("perMinute" is then the count per that window). */
const windowMinutesOf = (name: RateLimitName): number => ('windowMinutes' in rateLimits[name] ? (rateLimits[name] as { windowMinutes: number }).windowMinutes : 1);

/** How a limit's window reads after "at most N": "a minute", "in 10 minutes". */
export const windowWords = (windowMs: number): string => (windowMs === 60_000 ? 'a minute' : `in ${windowMs / 60_000} minutes`);

export type RateLimitName = keyof typeof rateLimits;

/** A limiter that always allows: what a limit set to 0 becomes. */
export interface Limiter {
  readonly limit: number;
  readonly windowMs: number;
  consume(key: string): { allowed: boolean; retryAfterSeconds: number };
}

const unlimited: Limiter = { limit: Infinity, windowMs: 60_000, consume: () => ({ allowed: true, retryAfterSeconds: 0 }) };

/** The count per window of a named limit: its env variable when set, else its default. A bad value stops the gateway, naming the variable. */
export const perMinute = (name: RateLimitName, env: NodeJS.ProcessEnv = process.env): number => {
  const { perMinute: fallback, env: variable } = rateLimits[name];
  const raw = env[variable]?.trim();
  if (raw === undefined || raw === '') return fallback;
  if (!/^\d+$/.test(raw)) {
    const per = windowMinutesOf(name) === 1 ? 'minute' : `${windowMinutesOf(name)} minutes`;
    throw new Error(`${variable}="${raw}" is not a whole number of ${rateLimits[name].what} per ${per} (0 turns the limit off)`);
  }
  return Number(raw);
};

/** One limiter for a named limit, e.g. `rateLimiterFor('signIn').consume(\`${ip}|${email}\`)`. */
export const rateLimiterFor = (name: RateLimitName, env: NodeJS.ProcessEnv = process.env): Limiter => {
  const limit = perMinute(name, env);
  return limit === 0 ? unlimited : new RateLimiter({ limit, windowMs: windowMinutesOf(name) * 60_000 });
};

/** What a resolver throws when a limiter refuses: code RATE_LIMITED and when to try again (the same over HTTP and graphql-ws). */
export const rateLimitedError = (name: RateLimitName, limiter: Limiter, retryAfterSeconds: number): GraphQLError =>
  new GraphQLError(`Too many ${rateLimits[name].what}: at most ${limiter.limit} ${windowWords(limiter.windowMs)}. Try again in ${retryAfterSeconds} s`, {
    extensions: { code: 'RATE_LIMITED', retryAfterSeconds, limit: limiter.limit },
  });
