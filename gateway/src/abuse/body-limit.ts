import type { NextFunction, Request, Response } from 'express';

/** What body-parser (through raw-body and http-errors) hands on when it refuses a body. */
interface BodyParserError {
  status?: number;
  type?: string;
  expose?: boolean;
  message?: string;
  limit?: number;
  length?: number;
}

const megabytes = (bytes: number) => `${+(bytes / 1024 ** 2).toFixed(2)} MB`;

const graphqlError = (res: Response, status: number, code: string, message: string, extra: Record<string, unknown> = {}) =>
  res.status(status).json({ errors: [{ message, extensions: { code, ...extra } }] });

/**
 * Error middleware for /graphql, mounted right after the route: body-parser refuses an over-size
 * or unparsable body before Apollo sees it, and Express would answer with an HTML page holding a
 * stack trace. This answers as Apollo does — a JSON `errors` array — saying what was wrong:
 * 413 PAYLOAD_TOO_LARGE with the limit, 400 BAD_REQUEST for JSON that does not parse, and the
 * parser's own status and message for the rest (bad charset, aborted upload…). Anything else
 * passes on untouched.
 */
export const graphqlBodyErrors = (err: unknown, _req: Request, res: Response, next: NextFunction) => {
  const e = (err ?? {}) as BodyParserError;
  if (res.headersSent || typeof e.type !== 'string') return next(err);
  if (e.type === 'entity.too.large' && e.limit) {
    const size = e.length ? ` is ${megabytes(e.length)}` : ' is larger than that';
    return graphqlError(res, 413, 'PAYLOAD_TOO_LARGE', `The request body${size}; /graphql accepts at most ${megabytes(e.limit)}. Send large files to POST /archives, not through GraphQL`, {
      limitBytes: e.limit,
    });
  }
  if (e.type === 'entity.parse.failed') return graphqlError(res, 400, 'BAD_REQUEST', `The request body is not valid JSON: ${e.message}`);
  if (e.expose && e.status && e.status >= 400 && e.status < 500) return graphqlError(res, e.status, 'BAD_REQUEST', `The request body was refused: ${e.message}`);
  return next(err);
};
