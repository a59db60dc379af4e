import { RateLimiter } from './rate-limiter';

describe('RateLimiter (sliding window per key)', () => {
  const minute = 60_000;
  const clock = (start = 10 * minute) => {
    const c = { t: start, now: () => c.t, advance: (ms: number) => void (c.t += ms) };
    return c;
  };
  const attempts = (limiter: RateLimiter, key: string, n: number) => Array.from({ length: n }, () => limiter.consume(key).allowed);

  it('allows the limit per window and key, then refuses, saying when to retry', () => {
    const c = clock();
    const limiter = new RateLimiter({ limit: 3, windowMs: minute, now: c.now });
    expect(attempts(limiter, 'a', 3)).toEqual([true, true, true]);
    c.advance(15_000);
    // 45 s to the next window, then 20 s more for the burst's weight to fade to 2 of 3: the
    // estimate assumes the previous window's attempts were spread over it.
    expect(limiter.consume('a')).toEqual({ allowed: false, retryAfterSeconds: 65 });
    expect(limiter.consume('b')).toEqual({ allowed: true, retryAfterSeconds: 0 }); // keys are independent
  });

  it('lets an attempt through exactly when retryAfterSeconds has passed, not earlier', () => {
    for (const [limit, spread] of [[3, 0], [10, 50_000], [1, 0], [5, 59_000]] as const) {
      const c = clock();
      const limiter = new RateLimiter({ limit, windowMs: minute, now: c.now });
      for (let i = 0; i < limit; i++) {
        expect(limiter.consume('k').allowed).toBe(true);
        c.advance(spread / limit);
      }
      for (let round = 0; round < 4; round++) {
        const { allowed, retryAfterSeconds } = limiter.consume('k');
        expect(allowed).toBe(false);
        c.advance(retryAfterSeconds * 1000 - 1000);
        expect(limiter.consume('k').allowed).toBe(retryAfterSeconds <= 1); // a second early: still refused
        c.advance(1000);
        expect(limiter.consume('k').allowed).toBe(true);
      }
    }
  });

  it('does not allow twice the limit across a window boundary, as a fixed window would', () => {
    const c = clock();
    const limiter = new RateLimiter({ limit: 10, windowMs: minute, now: c.now });
    c.advance(minute - 1_000);
    expect(attempts(limiter, 'a', 10).every(Boolean)).toBe(true);
    c.advance(2_000); // one second into the next window: 10 attempts in the last two seconds
    expect(limiter.consume('a').allowed).toBe(false);
    c.advance(30_000); // the previous window weighs half now: 5 more fit
    expect(attempts(limiter, 'a', 6)).toEqual([true, true, true, true, true, false]);
  });

  it('does not count refused attempts, so a client hammering is let back in on time', () => {
    const c = clock();
    const limiter = new RateLimiter({ limit: 2, windowMs: minute, now: c.now });
    attempts(limiter, 'a', 1000);
    c.advance(2 * minute);
    expect(attempts(limiter, 'a', 3)).toEqual([true, true, false]);
  });

  it('forgets idle keys and never remembers more than maxKeys', () => {
    const c = clock();
    const limiter = new RateLimiter({ limit: 1, windowMs: minute, maxKeys: 1_000, now: c.now });
    for (let i = 0; i < 500; i++) limiter.consume(`10.0.${i >> 8}.${i & 255}`);
    expect(limiter.size).toBe(500);
    c.advance(2 * minute);
    limiter.consume('fresh');
    expect(limiter.size).toBe(1);

    limiter.consume('kept'); // refused from now on, and seen recently…
    for (let i = 0; i < 5_000; i++) {
      limiter.consume(`k${i}`);
      if (i % 100 === 0) limiter.consume('kept');
    }
    expect(limiter.size).toBe(1_000);
    expect(limiter.consume('kept').allowed).toBe(false); // …so still remembered
    expect(limiter.consume('k0').allowed).toBe(true); // the least recently seen were dropped
  });

  it('refuses nonsense limits at construction', () => {
    expect(() => new RateLimiter({ limit: 0, windowMs: minute })).toThrow('A rate limit must be a whole number of at least 1, not 0');
    expect(() => new RateLimiter({ limit: 1, windowMs: 0 })).toThrow('A rate-limit window must be positive, not 0 ms');
  });
});
