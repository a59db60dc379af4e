import { Agent, request } from 'node:http';
import { performance } from 'node:perf_hooks';

export interface LoadResult {
  /** Per request, from its scheduled send time to the last byte of the response (ms). */
  latencies: number[];
  errors: number;
  firstError?: string;
  sent: number;
  /** Completed requests over the time from the first scheduled send to the last response. */
  achievedPerSecond: number;
  /** How late the generator itself sent (ms): large values mean the client, not the server, lagged. */
  maxSendLag: number;
}

export interface GraphqlPost {
  port: number;
  token: string;
  body: string;
  /** Whether a 200 response body is a success (no GraphQL errors, the expected shape). */
  ok: (body: Buffer) => boolean;
}

/** One keep-alive connection pool per load: the connections are opened once, not per request. */
const poster = ({ port, token, body, ok }: GraphqlPost) => {
  const agent = new Agent({ keepAlive: true, maxSockets: 64 });
  const headers = { 'content-type': 'application/json', 'content-length': Buffer.byteLength(body), authorization: `Bearer ${token}` };
  const post = () =>
    new Promise<string | undefined>((resolve) => {
      const req = request({ host: '127.0.0.1', port, path: '/graphql', method: 'POST', agent, headers, timeout: 10_000 }, (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('end', () => {
          const text = Buffer.concat(chunks);
          resolve(res.statusCode === 200 && ok(text) ? undefined : `HTTP ${res.statusCode}: ${text.subarray(0, 300).toString()}`);
        });
        res.on('error', (err) => resolve(String(err)));
      });
      req.on('timeout', () => req.destroy(new Error('no response in 10 s')));
      req.on('error', (err) => resolve(String(err)));
      req.end(body);
    });
  return { post, close: () => agent.destroy() };
};

/**
 * Open loop: request i is due at start + i / rate whatever happened to the earlier ones, and its
 * latency counts from that due time, so a slow server cannot slow the generator down and hide its
 * own queueing (no coordinated omission).
 */
export const openLoopLoad = async (target: GraphqlPost, rate: number, seconds: number): Promise<LoadResult> => {
  const { post, close } = poster(target);
  const total = Math.round(rate * seconds);
  const interval = 1000 / rate;
  const latencies: number[] = [];
  let errors = 0;
  let firstError: string | undefined;
  let maxSendLag = 0;
  let lastDone = 0;
  const start = performance.now() + 20;
  const pending: Promise<void>[] = [];
  await new Promise<void>((resolve) => {
    let next = 0;
    const tick = () => {
      const now = performance.now();
      for (; next < total && start + next * interval <= now; next++) {
        const due = start + next * interval;
        maxSendLag = Math.max(maxSendLag, now - due);
        pending.push(
          post().then((error) => {
            lastDone = performance.now();
            latencies.push(lastDone - due);
            if (error) {
              errors += 1;
              firstError ??= error;
            }
          }),
        );
      }
      if (next < total) setTimeout(tick, Math.max(0, start + next * interval - performance.now()));
      else resolve();
    };
    setTimeout(tick, 20);
  });
  await Promise.all(pending);
  close();
  return { latencies, errors, firstError, sent: total, achievedPerSecond: latencies.length / ((lastDone - start) / 1000), maxSendLag };
};
