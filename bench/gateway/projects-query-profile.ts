import { Agent, request } from 'node:http';
import { performance } from 'node:perf_hooks';
import { acceptEncoding, decodedBody } from './open-loop-load';

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];

/** What one answer took on the wire, as a browser asks for it, and decoded. */
export interface AnswerSize {
  sent: number;
  decoded: number;
  encoding: string;
}

/** One POST of `query` on the agent's connections, resolved once the whole response is read and decoded. */
const poster = (agent: Agent, port: number, token: string, query: string) => {
  const body = JSON.stringify({ query });
  const headers = { 'content-type': 'application/json', authorization: `Bearer ${token}`, 'accept-encoding': acceptEncoding };
  return () =>
    new Promise<AnswerSize>((resolve, reject) => {
      const req = request({ host: '127.0.0.1', port, path: '/graphql', method: 'POST', agent, headers }, (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c)).on('error', reject);
        res.on('end', () =>
          resolve({ sent: Buffer.concat(chunks).length, decoded: decodedBody(res, chunks).length, encoding: String(res.headers['content-encoding'] ?? 'identity') }),
        );
      });
      req.on('error', reject);
      req.end(body);
    });
};

/**
 * One request at a time on the otherwise idle gateway, median of `times` after a warm-up. The
 * gateway answers `projects` from its view cache and response cache: no read-store query remains
 * on the request's path to time apart (bench history: 390 ms of FerretDB queries before the caches).
 */
export const idleRequestLatency = async (port: number, token: string, query: string, times = 30) => {
  const agent = new Agent({ keepAlive: true, maxSockets: 1 });
  const post = poster(agent, port, token, query);
  try {
    for (let i = 0; i < 5; i++) await post(); // warm-up: JIT, connections
    const samples: number[] = [];
    for (let i = 0; i < times; i++) {
      const t0 = performance.now();
      await post();
      samples.push(performance.now() - t0);
    }
    return median(samples);
  } finally {
    agent.destroy();
  }
};

/** How many bytes one answer takes on the wire, as a browser asks for it, and decoded. */
export const answerSize = async (port: number, token: string, query: string): Promise<AnswerSize> => {
  const agent = new Agent({ keepAlive: false });
  try {
    return await poster(agent, port, token, query)();
  } finally {
    agent.destroy();
  }
};

/** Closed loop, `connections` requests always in flight: the most this gateway answers per second. */
export const closedLoopCapacity = async (port: number, token: string, query: string, connections: number, seconds: number) => {
  const agent = new Agent({ keepAlive: true, maxSockets: connections });
  const post = poster(agent, port, token, query);
  const latencies: number[] = [];
  const t0 = performance.now();
  const until = t0 + seconds * 1000;
  await Promise.all(
    Array.from({ length: connections }, async () => {
      while (performance.now() < until) {
        const start = performance.now();
        await post();
        latencies.push(performance.now() - start);
      }
    }),
  );
  agent.destroy();
  return { perSecond: latencies.length / ((performance.now() - t0) / 1000), medianLatency: median(latencies) };
};
