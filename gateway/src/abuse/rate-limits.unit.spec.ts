import { perMinute, rateLimitedError, rateLimiterFor } from './rate-limits';

describe('named rate limits', () => {
  it('has defaults, overridden by their environment variables, 0 turning a limit off', () => {
    expect([perMinute('signIn', {}), perMinute('signUp', {}), perMinute('webhooks', {})]).toEqual([10, 5, 600]);
    expect(perMinute('signIn', { SLIPWAY_RATE_SIGN_IN_PER_MINUTE: '3' })).toBe(3);
    const off = rateLimiterFor('signUp', { SLIPWAY_RATE_SIGN_UP_PER_MINUTE: '0' });
    expect(Array.from({ length: 100 }, () => off.consume('x').allowed).every(Boolean)).toBe(true);
    const three = rateLimiterFor('webhooks', { SLIPWAY_RATE_WEBHOOKS_PER_MINUTE: '3' });
    expect(Array.from({ length: 4 }, () => three.consume('x').allowed)).toEqual([true, true, true, false]);
  });

  it('stops on a value that is not a whole number, naming the variable', () => {
    expect(() => perMinute('signIn', { SLIPWAY_RATE_SIGN_IN_PER_MINUTE: 'ten' })).toThrow(
      'SLIPWAY_RATE_SIGN_IN_PER_MINUTE="ten" is not a whole number of sign-in attempts per minute (0 turns the limit off)',
    );
  });

  it('gives resolvers an error that says what was limited and when to try again', () => {
    const limiter = rateLimiterFor('signIn', {});
    const error = rateLimitedError('signIn', limiter, 42);
    expect({ message: error.message, ...error.extensions }).toEqual({
      message: 'Too many sign-in attempts: at most 10 a minute. Try again in 42 s',
      code: 'RATE_LIMITED',
      retryAfterSeconds: 42,
      limit: 10,
    });
  });

  describe('security: sign-in throttling per address across emails', () => {
    it('limits sign-in attempts per address, 30 a minute unless its variable says otherwise, in words that say when to retry', () => {
      expect(perMinute('signInPerAddress', {})).toBe(30);
      const limiter = rateLimiterFor('signInPerAddress', { SLIPWAY_RATE_SIGN_IN_PER_ADDRESS_PER_MINUTE: '2' });
      expect([limiter.consume('10.0.0.1'), limiter.consume('10.0.0.1'), limiter.consume('10.0.0.1')].map((d) => d.allowed)).toEqual([true, true, false]);
      expect(rateLimitedError('signInPerAddress', limiter, 7).message).toBe('Too many sign-in attempts from this address: at most 2 a minute. Try again in 7 s');
    });
  });

  it('counts archive uploads over 10 minutes, per user and per address, and says so', () => {
    const perUser = rateLimiterFor('archiveUploads', {});
    expect([perUser.limit, perUser.windowMs, rateLimiterFor('archiveUploadsPerAddress', {}).limit]).toEqual([30, 600_000, 60]);
    const two = rateLimiterFor('archiveUploads', { SLIPWAY_RATE_ARCHIVE_UPLOADS_PER_10_MINUTES: '2' });
    expect([two.consume('u_1'), two.consume('u_1'), two.consume('u_1')].map((d) => d.allowed)).toEqual([true, true, false]);
    expect(rateLimitedError('archiveUploads', two, 300).message).toBe('Too many archive uploads by you: at most 2 in 10 minutes. Try again in 300 s');
    expect(() => perMinute('archiveUploads', { SLIPWAY_RATE_ARCHIVE_UPLOADS_PER_10_MINUTES: 'x' })).toThrow(
      'SLIPWAY_RATE_ARCHIVE_UPLOADS_PER_10_MINUTES="x" is not a whole number of archive uploads by you per 10 minutes (0 turns the limit off)',
    );
  });
});
