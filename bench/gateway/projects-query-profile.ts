import { createHash } from 'node:crypto';
import { Agent, request } from 'node:http';
import { performance } from 'node:perf_hooks';
import { MongoClient } from 'mongodb';

/** As the gateway keys credentials: the SHA-256 of the token (gateway/src/identity/credentials.ts). */
const tokenHash = (token: string) => createHash('sha256').update(token).digest('hex');

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];

/** One POST of `query` on the agent's connections, resolved once the whole response is read. */
const poster = (agent: Agent, port: number, token: string, query: string) => {
  const body = JSON.stringify({ query });
  const headers = { 'content-type': 'application/json', authorization: `Bearer ${token}` };
  return () =>
    new Promise<void>((resolve, reject) => {
      const req = request({ host: '127.0.0.1', port, path: '/graphql', method: 'POST', agent, headers }, (res) =>
        res.on('data', () => undefined).on('end', resolve).on('error', reject),
      );
      req.on('error', reject);
      req.end(body);
    });
};

/**
 * Where one `projects` request's time goes, on an otherwise idle gateway: the whole request, and
 * each read-model query the gateway makes for it (the same queries, from this process, one at a
 * time, interleaved with the whole requests so both see the same machine), medians of `times`.
 * What the queries do not explain is the gateway's own work (parsing, validation and cost rules,
 * execution over every service, JSON).
 */
export const profileProjectsQuery = async (mongoUrl: string, port: number, token: string, query: string, times = 30) => {
  const agent = new Agent({ keepAlive: true, maxSockets: 1 });
  const post = poster(agent, port, token, query);
  const client = await MongoClient.connect(mongoUrl);
  try {
    const db = client.db('slipway');
    type Doc = { _id: string; [field: string]: unknown };
    const credential = await db.collection<Doc>('credentials').findOne({ _id: tokenHash(token) });
    if (!credential) throw new Error('the bench token has no credential document');
    const projectIds = (await db.collection('projects').find({}).toArray()).map((p) => p.id as string);
    const parts: [string, () => Promise<unknown>][] = [
      ['whole request (HTTP, idle gateway)', post],
      ['credentials.findOne (token)', () => db.collection<Doc>('credentials').findOne({ _id: tokenHash(token) })],
      ['users.findOne', () => db.collection<Doc>('users').findOne({ _id: String(credential.userId) })],
      ['members.find (user)', () => db.collection('members').find({ userId: credential.userId, removed: false }).toArray()],
      ['projects.find sort name', () => db.collection('projects').find({}).sort({ name: 1 }).toArray()],
      [`services.find projectId $in (${projectIds.length}) sort name`, () => db.collection('services').find({ projectId: { $in: projectIds } }).sort({ name: 1 }).toArray()],
    ];
    for (let i = 0; i < 5; i++) await post(); // warm-up: JIT, connections
    const samples = parts.map((): number[] => []);
    for (let i = 0; i < times; i++) {
      for (const [index, [, work]] of parts.entries()) {
        const t0 = performance.now();
        await work();
        samples[index].push(performance.now() - t0);
      }
    }
    const rows: [string, number][] = parts.map(([name], index) => [name, median(samples[index])]);
    // The gateway waits for: the credential, then user and memberships together, then projects, then services.
    const [whole, cred, user, members, projectsFind, servicesFind] = rows.map(([, t]) => t);
    rows.push(['remainder: the gateway itself (parse, rules, execute, JSON)', whole - cred - Math.max(user, members) - projectsFind - servicesFind]);
    return rows;
  } finally {
    agent.destroy();
    await client.close();
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
