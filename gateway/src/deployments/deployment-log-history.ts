import { DeliverPolicy, JetStreamApiError, jetstream } from '@nats-io/jetstream';
import type { NatsConnection } from '@nats-io/transport-node';
import { LOG_STREAM, logSubject, type LogLine } from '@slipway/proto';
import { badInput } from '../command-errors';
import { decodeLogCursor, encodeLogCursor } from './deployment-log-cursor';

/** Enough for a whole ordinary build log in one page, small enough for one response (~1 MB). */
export const MAX_LOG_PAGE = 5_000;
export const DEFAULT_LOG_PAGE = 500;

export type CursoredLogLine = LogLine & { cursor: string };

export interface LogPage {
  lines: CursoredLogLine[];
  pageInfo: { endCursor: string | null; hasNextPage: boolean };
}

/** A deployment id that cannot be a subject token (dots, wildcards) names no deployment: say so about the argument. */
const subjectOf = (deploymentId: string): string => {
  try {
    return logSubject(deploymentId);
  } catch {
    throw badInput(`deploymentId "${deploymentId}" is not a deployment id`, 'deploymentId');
  }
};

/** The LOGS sequence of a deployment's newest stored line; 0 when it has none (or the stream is not there yet). */
export const lastLogSeq = async (nc: NatsConnection, deploymentId: string): Promise<number> => {
  const jsm = await jetstream(nc).jetstreamManager();
  try {
    return (await jsm.streams.getMessage(LOG_STREAM.name, { last_by_subj: subjectOf(deploymentId) }))?.seq ?? 0;
  } catch (err) {
    if (err instanceof JetStreamApiError && err.code === 10059) return 0; // no LOGS stream: nothing was ever logged
    throw err;
  }
};

/**
 * The `after` cursor as a LOGS sequence (0 = from the first line). A well-formed cursor beyond the
 * newest line cannot have come from us: refused rather than waiting for lines that may never be.
 */
export const logStartAfter = async (nc: NatsConnection, deploymentId: string, after: string | null | undefined): Promise<{ afterSeq: number; lastSeq: number }> => {
  const afterSeq = after ? decodeLogCursor(after, deploymentId) : 0;
  const lastSeq = await lastLogSeq(nc, deploymentId);
  if (lastSeq > 0 && afterSeq > lastSeq) throw badInput(`after "${after}" is not a log cursor this API gave out`, 'after');
  return { afterSeq, lastSeq };
};

/**
 * One page of a deployment's stored log lines, oldest first, from just after `after`. The page
 * ends at the newest line stored when the read began; `hasNextPage` says whether more were stored
 * by then. `endCursor` is the cursor to resume from — for the next page, or for the live
 * `deploymentLogs(after:)` subscription, which then continues with exactly the next line.
 */
export const readDeploymentLogPage = async (
  nc: NatsConnection,
  deploymentId: string,
  { after, first = DEFAULT_LOG_PAGE }: { after?: string | null; first?: number | null },
): Promise<LogPage> => {
  const size = first ?? DEFAULT_LOG_PAGE;
  if (!Number.isInteger(size) || size < 1 || size > MAX_LOG_PAGE) {
    throw badInput(`first must be between 1 and ${MAX_LOG_PAGE} (got ${size}): page through longer logs with after`, 'first');
  }
  const { afterSeq, lastSeq } = await logStartAfter(nc, deploymentId, after);
  if (afterSeq >= lastSeq) return { lines: [], pageInfo: { endCursor: after ?? null, hasNextPage: false } };

  // An ordered consumer: ephemeral, server-side filtered to this deployment, from the line after the cursor.
  const consumer = await jetstream(nc).consumers.get(LOG_STREAM.name, {
    filter_subjects: subjectOf(deploymentId),
    ...(afterSeq ? { deliver_policy: DeliverPolicy.StartSequence, opt_start_seq: afterSeq + 1 } : { deliver_policy: DeliverPolicy.All }),
  });
  const lines: CursoredLogLine[] = [];
  let seq = afterSeq;
  try {
    while (lines.length < size && seq < lastSeq) {
      // Lines expired by retention meanwhile can make a batch come back short: stop on an empty one.
      const batch = await consumer.fetch({ max_messages: size - lines.length, expires: 2_000 });
      let got = 0;
      for await (const m of batch) {
        got++;
        seq = m.seq;
        lines.push({ ...m.json<LogLine>(), cursor: encodeLogCursor(deploymentId, m.seq) });
        if (lines.length >= size || seq >= lastSeq) break;
      }
      if (got === 0) break;
    }
  } finally {
    await consumer.delete().catch(() => undefined);
  }
  return { lines, pageInfo: { endCursor: lines.at(-1)?.cursor ?? after ?? null, hasNextPage: seq < lastSeq } };
};
