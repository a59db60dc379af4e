import { Agent, request, type ClientRequest, type IncomingMessage } from 'node:http';
import { performance } from 'node:perf_hooks';
import { gunzipSync } from 'node:zlib';

/** What a browser sends, and so what the gateway is measured answering (large answers gzipped). */
export const acceptEncoding = 'gzip';

/** The response body as the client reads it: decompressed, as a browser would. */
export const decodedBody = (res: IncomingMessage, chunks: Buffer[]): Buffer => {
  const body = Buffer.concat(chunks);
  return res.headers['content-encoding'] === 'gzip' ? gunzipSync(body) : body;
};

export interface LoadResult {
  /**
   * Per request sent, from its scheduled send time to the last byte of the response (ms);
   * Infinity for one that got no response (timed out, or abandoned when the server fell behind).
   */
  latencies: number[];
  /** Requests that failed: an error status or GraphQL errors, a timeout, or abandoned. */
  errors: number;
  firstError?: string;
  scheduled: number;
  sent: number;
  /** Responses per second while the load ran (first due time to last response). */
  achievedPerSecond: number;
  /** How late the generator itself sent (ms): large values mean the client, not the server, lagged. */
  maxSendLag: number;
  /** When the server fell so far behind that the round stopped (s after its start), if it did. */
  saturatedAfter?: number;
}

export interface GraphqlPost {
  port: number;
  token: string;
  body: string;
  /** Whether a 200 response body is a success (no GraphQL errors, the expected shape). */
  ok: (body: Buffer) => boolean;
}

const ABANDONED = 'abandoned: the server fell too far behind';

/** A keep-alive connection pool (opened once, not per request) and the requests still waiting. */
const poster = ({ port, token, body, ok }: GraphqlPost, connections: number) => {
  const agent = new Agent({ keepAlive: true, maxSockets: connections });
  const headers = { 'content-type': 'application/json', 'content-length': Buffer.byteLength(body), authorization: `Bearer ${token}`, 'accept-encoding': acceptEncoding };
  const waiting = new Set<ClientRequest>();
  const post = () =>
    new Promise<string | undefined>((resolve) => {
      const req = request({ host: '127.0.0.1', port, path: '/graphql', method: 'POST', agent, headers, timeout: 60_000 }, (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('end', () => {
          const text = decodedBody(res, chunks);
          resolve(res.statusCode === 200 && ok(text) ? undefined : `HTTP ${res.statusCode}: ${text.subarray(0, 300).toString()}`);
        });
        res.on('error', (err) => resolve(String(err)));
      });
      waiting.add(req);
      req.on('close', () => waiting.delete(req));
      req.on('timeout', () => req.destroy(new Error('no response in 60 s')));
      req.on('error', (err) => resolve(String(err)));
      req.end(body);
    });
  /** Drops the requests still queued for a connection: they never reach the server. */
  const abandonQueued = () => {
    for (const req of waiting) if (!req.socket) req.destroy(new Error(ABANDONED));
  };
  return { post, abandonQueued, close: () => agent.destroy() };
};

/**
 * Open loop: request i is due at start + i / rate whatever happened to the earlier ones, and its
 * latency counts from that due time, so a slow server cannot slow the generator down and hide its
 * own queueing (no coordinated omission). When more than `maxBacklogSeconds` of requests are
 * outstanding the server cannot keep up at all: the round stops sending, drops what has not reached
 * the server yet (so the bench does not bury the shared machine) and says when it saturated.
 */
export const openLoopLoad = async (
  target: GraphqlPost,
  rate: number,
  seconds: number,
  { connections = 64, maxBacklogSeconds = 2 } = {},
): Promise<LoadResult> => {
  const { post, abandonQueued, close } = poster(target, connections);
  const scheduled = Math.round(rate * seconds);
  const interval = 1000 / rate;
  const latencies: number[] = [];
  let errors = 0;
  let firstError: string | undefined;
  let maxSendLag = 0;
  let lastDone = 0;
  let outstanding = 0;
  let saturatedAfter: number | undefined;
  const start = performance.now() + 20;
  const pending: Promise<void>[] = [];
  let sent = 0;
  await new Promise<void>((resolve) => {
    const tick = () => {
      const now = performance.now();
      for (; sent < scheduled && start + sent * interval <= now; sent++) {
        if (outstanding > rate * maxBacklogSeconds) {
          saturatedAfter = (now - start) / 1000;
          abandonQueued();
          return resolve();
        }
        const due = start + sent * interval;
        maxSendLag = Math.max(maxSendLag, now - due);
        outstanding += 1;
        pending.push(
          post().then((error) => {
            outstanding -= 1;
            const done = performance.now();
            const answered = !error || error.startsWith('HTTP');
            if (answered) lastDone = done;
            latencies.push(answered ? done - due : Infinity);
            if (error) {
              errors += 1;
              if (!firstError || firstError === ABANDONED) firstError = error;
            }
          }),
        );
      }
      if (sent < scheduled) setTimeout(tick, Math.max(0, start + sent * interval - performance.now()));
      else resolve();
    };
    setTimeout(tick, 20);
  });
  await Promise.all(pending);
  close();
  const answered = latencies.filter(Number.isFinite).length;
  return {
    latencies,
    errors,
    firstError,
    scheduled,
    sent,
    achievedPerSecond: answered / ((lastDone - start) / 1000),
    maxSendLag,
    saturatedAfter,
  };
};
