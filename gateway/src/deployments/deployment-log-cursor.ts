import { badInput } from '../command-errors';

/**
 * A log line's cursor: its LOGS stream sequence, wrapped with the deployment it belongs to so a
 * cursor of one deployment (or one made up) is refused instead of silently skipping lines.
 */
export const encodeLogCursor = (deploymentId: string, seq: number): string => Buffer.from(`log:${deploymentId}:${seq}`).toString('base64url');

/** The LOGS sequence a cursor stands for; a cursor this API did not give out for this deployment → BAD_USER_INPUT on `field`. */
export const decodeLogCursor = (cursor: string, deploymentId: string, field = 'after'): number => {
  const m = /^log:([A-Za-z0-9_-]+):([1-9][0-9]{0,15})$/.exec(Buffer.from(cursor, 'base64url').toString('utf8'));
  const seq = m ? Number(m[2]) : NaN;
  if (!m || !Number.isSafeInteger(seq)) throw badInput(`${field} "${cursor}" is not a log cursor this API gave out`, field);
  if (m[1] !== deploymentId) throw badInput(`${field} is a log cursor of deployment ${m[1]}, not of ${deploymentId}`, field);
  return seq;
};
