import type { NextFunction, Request, Response } from 'express';
import type { Limiter } from './rate-limits';

/**
 * Express middleware: one attempt per request against `limiter`, keyed by the client's address
 * (`req.ip`: the socket's peer, or the forwarded client when Express's "trust proxy" is set for a
 * proxy in front). Refused → 429, `Retry-After`, and a JSON body that says what to do. Mounted
 * before the body parser, so a refused request costs no parsing.
 */
export const rateLimitByIp =
  (limiter: Limiter, what: string, advice = '') =>
  (req: Request, res: Response, next: NextFunction) => {
    const ip = req.ip ?? req.socket.remoteAddress ?? 'unknown';
    const { allowed, retryAfterSeconds } = limiter.consume(ip);
    if (allowed) return next();
    res.set('Retry-After', String(retryAfterSeconds));
    return res.status(429).json({
      error: `Too many ${what} from ${ip}: at most ${limiter.limit} a minute. Retry after ${retryAfterSeconds} s${advice ? `; ${advice}` : ''}`,
      retryAfterSeconds,
    });
  };
