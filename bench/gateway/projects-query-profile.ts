import { createHash } from 'node:crypto';
import { Agent, request } from 'node:http';
import { performance } from 'node:perf_hooks';
import { MongoClient } from 'mongodb';

/** As the gateway keys credentials: the SHA-256 of the token (gateway/src/identity/credentials.ts). */
const tokenHash = (token: string) => createHash('sha256').update(token).digest('hex');

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];

const timed = async (times: number, work: () => Promise<unknown>) => {
  const ms: number[] = [];
  for (let i = 0; i < times; i++) {
    const t0 = performance.now();
    await work();
    ms.push(performance.now() - t0);
  }
  return median(ms);
};

/**
 * Where one `projects` request's time goes, on an otherwise idle gateway: the whole request, and
 * each read-model query the gateway makes for it (the same queries, from this process, one at a
 * time), medians of `times`. What the queries do not explain is the gateway's own work (parsing,
 * validation and cost rules, execution over every service, JSON).
 */
export const profileProjectsQuery = async (mongoUrl: string, port: number, token: string, query: string, times = 30) => {
  const agent = new Agent({ keepAlive: true, maxSockets: 1 });
  const body = JSON.stringify({ query });
  const post = () =>
    new Promise<void>((resolve, reject) => {
      const req = request(
        { host: '127.0.0.1', port, path: '/graphql', method: 'POST', agent, headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` } },
        (res) => res.on('data', () => undefined).on('end', resolve).on('error', reject),
      );
      req.on('error', reject);
      req.end(body);
    });
  const whole = await timed(times, post);
  agent.destroy();

  const client = await MongoClient.connect(mongoUrl);
  try {
    const db = client.db('slipway');
    type Doc = { _id: string; [field: string]: unknown };
    const credential = await db.collection<Doc>('credentials').findOne({ _id: tokenHash(token) });
    if (!credential) throw new Error('the bench token has no credential document');
    const projectIds = (await db.collection('projects').find({}).toArray()).map((p) => p.id as string);
    const parts: [string, () => Promise<unknown>][] = [
      ['credentials.findOne (token)', () => db.collection<Doc>('credentials').findOne({ _id: tokenHash(token) })],
      ['users.findOne', () => db.collection<Doc>('users').findOne({ _id: String(credential.userId) })],
      ['members.find (user)', () => db.collection('members').find({ userId: credential.userId, removed: false }).toArray()],
      ['projects.find sort name', () => db.collection('projects').find({}).sort({ name: 1 }).toArray()],
      [`services.find projectId $in (${projectIds.length}) sort name`, () => db.collection('services').find({ projectId: { $in: projectIds } }).sort({ name: 1 }).toArray()],
    ];
    const rows: [string, number][] = [['whole request (HTTP, idle gateway)', whole]];
    for (const [name, work] of parts) rows.push([name, await timed(times, work)]);
    return rows;
  } finally {
    await client.close();
  }
};
