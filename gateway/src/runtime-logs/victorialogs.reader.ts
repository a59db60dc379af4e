import { GraphQLError } from 'graphql';
import { victoriaLogsUrl } from '@slipway/proto';
import { pageOf, parseLogLine, servicePageQuery, tailQuery, type ServiceLogLine, type ServiceLogsRequest } from './service-logs.query';

/** The live tail reads this often… */
export const TAIL_EVERY_MS = 1_000;
/** …and looks this far back each time: a line stored late (the collector batches) is still sent, once. */
export const TAIL_LATE_MS = 5_000;
const TAIL_BATCH = 1_000;

const baseUrl = () => victoriaLogsUrl(process.env.VICTORIALOGS_URL);

/** Runs a LogsQL query; the answer's lines, parsed. */
const select = async (query: string): Promise<ServiceLogLine[]> => {
  let res: Response;
  try {
    res = await fetch(`${baseUrl()}/select/logsql/query`, { method: 'POST', body: new URLSearchParams({ query }), signal: AbortSignal.timeout(15_000) });
  } catch {
    throw new GraphQLError('The log store (VictoriaLogs) does not answer: runtime logs cannot be read right now; try again in a moment', { extensions: { code: 'UNAVAILABLE' } });
  }
  if (!res.ok) throw new GraphQLError(`The log store refused the query (${res.status}): ${(await res.text()).slice(0, 200)}`, { extensions: { code: 'UNAVAILABLE' } });
  const lines: ServiceLogLine[] = [];
  for (const raw of (await res.text()).split('\n')) {
    const line = raw && parseLogLine(raw);
    if (line) lines.push(line);
  }
  return lines;
};

export const readServiceLogPage = async (req: ServiceLogsRequest) => {
  const { query, limit } = servicePageQuery(req);
  return pageOf(await select(query), limit, req.after);
};

const lineKey = (l: ServiceLogLine) => `${l.timestamp}\u0000${l.container}\u0000${l.stream}\u0000${l.message}`;

/**
 * New lines of a service, oldest first, from now on, until the consumer stops. Polls: one query a
 * second per subscriber, over the last few seconds; lines already sent are remembered only for that window.
 */
export async function* tailServiceLogs(serviceId: string, signal?: AbortSignal): AsyncGenerator<ServiceLogLine> {
  const startedAt = Date.now();
  let sent = new Map<string, number>();
  let behind: number | null = null; // the last line sent while a backlog is read
  while (!signal?.aborted) {
    const from: number = behind ?? Math.max(startedAt, Date.now() - TAIL_LATE_MS);
    let lines: ServiceLogLine[] = [];
    try {
      lines = await select(tailQuery(serviceId, new Date(from).toISOString(), TAIL_BATCH));
    } catch {
      // the store is away for a moment: the next round reads the same window again
    }
    let last: number = from;
    for (const line of lines) {
      const key = lineKey(line);
      last = Math.max(last, Date.parse(line.timestamp));
      if (sent.has(key)) continue;
      sent.set(key, Date.parse(line.timestamp));
      yield line;
    }
    // A full batch means more is waiting: read on from its last line at once.
    behind = lines.length === TAIL_BATCH ? last : null;
    // Forget what is older than the window: memory stays bounded however long the tail runs.
    const forgetBefore = Math.min(from, Date.now() - TAIL_LATE_MS) - 1_000;
    sent = new Map([...sent].filter(([, at]) => at >= forgetBefore));
    if (!behind) await new Promise((r) => setTimeout(r, TAIL_EVERY_MS));
  }
}
