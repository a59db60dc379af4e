export interface RateLimitDecision {
  allowed: boolean;
  /** 0 when allowed; otherwise the whole seconds to wait before the next attempt can pass. */
  retryAfterSeconds: number;
}

export interface RateLimiterOptions {
  /** Attempts allowed per window and key. */
  limit: number;
  windowMs: number;
  /** Keys remembered at most; past it the least recently seen are forgotten first. */
  maxKeys?: number;
  now?: () => number;
}

/** The weights are fractions: without slack, 2.0000000000000004 > 2 refuses an attempt that is on time. */
const EPSILON = 1e-6;

interface Counter {
  /** Start of the current fixed window. */
  windowStart: number;
  current: number;
  previous: number;
}

/**
 * A sliding-window counter per key (an IP, an e-mail address…): the count of the current fixed
 * window plus the previous window's count weighted by how much of it still overlaps the sliding
 * window. Two numbers per key, and no burst of twice the limit across a window boundary as a plain
 * fixed window allows.
 *
 * In memory, so per gateway process: with N replicas a client gets up to N × limit. That is the
 * trade for no shared store on the hot path; the limits are there to stop floods and guessing,
 * not to meter.
 *
 * Memory stays bounded: keys idle for two windows carry no count and are swept out, and past
 * `maxKeys` the least recently seen key is dropped (an attacker cycling addresses can then reset
 * someone's count, never grow the map).
 */
export class RateLimiter {
  readonly limit: number;
  readonly windowMs: number;
  private readonly maxKeys: number;
  private readonly now: () => number;
  private readonly counters = new Map<string, Counter>();
  private lastSweep: number;

  constructor(options: RateLimiterOptions) {
    if (!Number.isInteger(options.limit) || options.limit < 1) throw new Error(`A rate limit must be a whole number of at least 1, not ${options.limit}`);
    if (!(options.windowMs > 0)) throw new Error(`A rate-limit window must be positive, not ${options.windowMs} ms`);
    this.limit = options.limit;
    this.windowMs = options.windowMs;
    this.maxKeys = options.maxKeys ?? 100_000;
    this.now = options.now ?? Date.now;
    this.lastSweep = this.now();
  }

  /** Counts one attempt for `key` if it is allowed; a refused attempt is not counted. */
  consume(key: string): RateLimitDecision {
    const now = this.now();
    this.sweep(now);
    const counter = this.roll(this.counters.get(key), now);
    // Re-inserted on every use: Map order is then least recently seen first, for eviction.
    this.counters.delete(key);
    this.counters.set(key, counter);
    if (this.counters.size > this.maxKeys) this.counters.delete(this.counters.keys().next().value!);

    const elapsed = now - counter.windowStart;
    if (this.estimate(counter, elapsed) + 1 <= this.limit + EPSILON) {
      counter.current++;
      return { allowed: true, retryAfterSeconds: 0 };
    }
    return { allowed: false, retryAfterSeconds: Math.max(1, Math.ceil((this.waitMs(counter, elapsed) - EPSILON) / 1000)) };
  }

  /** Keys currently remembered. */
  get size(): number {
    return this.counters.size;
  }

  private estimate(c: Counter, elapsed: number): number {
    return c.previous * (1 - elapsed / this.windowMs) + c.current;
  }

  /** Moves a counter to the window containing `now`. */
  private roll(c: Counter | undefined, now: number): Counter {
    const windowStart = now - (now % this.windowMs);
    if (!c || windowStart - c.windowStart >= 2 * this.windowMs) return { windowStart, current: 0, previous: 0 };
    if (windowStart > c.windowStart) return { windowStart, current: 0, previous: c.current };
    return c;
  }

  /** Time until one more attempt fits, from where `elapsed` is in the current window. */
  private waitMs(c: Counter, elapsed: number): number {
    const room = this.limit - 1; // the count that must not be exceeded before counting one more
    // Within this window, the previous window's weight fades: p·(1 − t/W) + c ≤ room.
    if (c.current <= room && c.previous > 0) {
      const t = this.windowMs * (1 - (room - c.current) / c.previous);
      if (t < this.windowMs) return t - elapsed;
    }
    // Otherwise in the next window, where this window's count is the one fading.
    const t = c.current > 0 ? this.windowMs * Math.max(0, 1 - room / c.current) : 0;
    return this.windowMs - elapsed + t;
  }

  /** At most once a window: forget keys with nothing left to count. */
  private sweep(now: number): void {
    if (now - this.lastSweep < this.windowMs) return;
    this.lastSweep = now;
    const currentWindow = now - (now % this.windowMs);
    for (const [key, c] of this.counters) if (currentWindow - c.windowStart >= 2 * this.windowMs) this.counters.delete(key);
  }
}
