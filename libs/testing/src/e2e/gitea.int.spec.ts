import { execFile } from 'node:child_process';
import { createHmac, randomBytes } from 'node:crypto';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { promisify } from 'node:util';
import { GiteaFixture, type GiteaRepository } from './gitea.fixture';

interface Delivery {
  event: string;
  id: string;
  signature: string;
  raw: string;
  payload: { action?: string; ref?: string; number?: number; pull_request?: { head: { sha: string } } };
}

/** A webhook receiver on 127.0.0.1 that records every delivery. */
const startReceiver = async () => {
  const deliveries: Delivery[] = [];
  const server: Server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const raw = Buffer.concat(chunks).toString('utf8');
      deliveries.push({
        event: String(req.headers['x-gitea-event'] ?? ''),
        id: String(req.headers['x-gitea-delivery'] ?? ''),
        signature: String(req.headers['x-gitea-signature'] ?? ''),
        raw,
        payload: JSON.parse(raw) as Delivery['payload'],
      });
      res.writeHead(204).end();
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  const waitFor = async (what: string, match: (d: Delivery) => boolean, timeoutMs = 20_000): Promise<Delivery> => {
    const until = Date.now() + timeoutMs;
    for (;;) {
      const found = deliveries.find(match);
      if (found) return found;
      if (Date.now() > until) {
        throw new Error(`no ${what} delivery within ${timeoutMs} ms; got: ${deliveries.map((d) => `${d.event}/${d.payload.action ?? '-'}`).join(', ') || 'none'}`);
      }
      await new Promise((r) => setTimeout(r, 100));
    }
  };
  return { url: `http://127.0.0.1:${port}/hooks/gitea`, deliveries, waitFor, close: () => new Promise<void>((r) => server.close(() => r())) };
};

/** `git ls-remote` of one branch, with an Authorization header or none (no prompt: it fails). */
const lsRemote = async (url: string, ref: string, authorization?: string): Promise<string> => {
  const auth = authorization ? ['-c', `http.extraHeader=Authorization: ${authorization}`] : [];
  const { stdout } = await promisify(execFile)('git', [...auth, 'ls-remote', url, ref], { env: { ...process.env, GIT_TERMINAL_PROMPT: '0' } });
  return stdout;
};

describe('a real Gitea for the preview tests', () => {
  let gitea: GiteaFixture;
  let receiver: Awaited<ReturnType<typeof startReceiver>>;
  let repo: GiteaRepository;
  const secret = randomBytes(16).toString('hex');
  const signed = (d: Delivery) => createHmac('sha256', secret).update(d.raw).digest('hex');

  beforeAll(async () => {
    const t0 = Date.now();
    gitea = await GiteaFixture.start();
    const { installMs, startMs, alreadyRunning } = gitea.startup;
    console.log(
      `Gitea: install (cached) ${installMs} ms, start ${startMs} ms${alreadyRunning ? ' (it was running)' : ''}, ` +
        `ready with a token in ${Date.now() - t0} ms`,
    );
    receiver = await startReceiver();
  }, 600_000); // a machine that has not built Gitea yet builds it here (~4 min; npm test builds it first)

  afterAll(async () => {
    // A failed run leaves its repository: delete it here (after a passing run it is gone already).
    if (repo) await gitea.deleteRepository(repo).catch(() => undefined);
    await receiver?.close();
    await gitea?.close();
  });

  it('signs and delivers pull request events, keeps comments, and deletes the repository', async () => {
    repo = await gitea.createRepository('preview');
    expect(repo.cloneUrl).toBe(`${gitea.url}/${repo.owner}/${repo.name}.git`);
    await gitea.addWebhook(repo, { url: receiver.url, secret });

    const first = await gitea.push(repo, 'feature/login', { 'app/index.js': 'console.log(1);\n' }, 'Add the login page');
    const push = await receiver.waitFor('push', (d) => d.event === 'push' && d.payload.ref === 'refs/heads/feature/login');
    expect(push.signature).toBe(signed(push));
    // The build service fetches with Basic x-access-token:<token> (as for GitHub); nobody reads anonymously.
    const asBuild = `Basic ${Buffer.from(`x-access-token:${gitea.token}`).toString('base64')}`;
    expect(await lsRemote(repo.cloneUrl, 'refs/heads/feature/login', asBuild)).toBe(`${first}\trefs/heads/feature/login\n`);
    await expect(lsRemote(repo.cloneUrl, 'refs/heads/feature/login')).rejects.toThrow(/could not read Username/);

    const pr = await gitea.openPullRequest(repo, { head: 'feature/login', title: 'Login page' });
    expect(pr).toMatchObject({ state: 'open', head: { ref: 'feature/login', sha: first } });
    const opened = await receiver.waitFor('pull_request opened', (d) => d.event === 'pull_request' && d.payload.action === 'opened');
    expect(opened.payload.number).toBe(pr.number);
    expect(opened.payload.pull_request?.head.sha).toBe(first);
    expect(opened.signature).toMatch(/^[0-9a-f]{64}$/);
    expect(opened.signature).toBe(signed(opened));
    expect(opened.id).not.toBe('');

    const second = await gitea.push(repo, 'feature/login', { 'app/index.js': 'console.log(2);\n' }, 'Fix the login page');
    const synchronized = await receiver.waitFor('pull_request synchronized', (d) => d.event === 'pull_request' && d.payload.action === 'synchronized');
    expect(synchronized.payload.pull_request?.head.sha).toBe(second);
    expect(synchronized.signature).toBe(signed(synchronized));

    const posted = await gitea.comment(repo, pr.number, 'Preview: http://pr-1.example.localhost');
    const comments = await gitea.comments(repo, pr.number);
    expect(comments.map((c) => ({ id: c.id, body: c.body, by: c.user.login }))).toEqual([
      { id: posted.id, body: 'Preview: http://pr-1.example.localhost', by: gitea.user },
    ]);

    expect((await gitea.closePullRequest(repo, pr.number)).state).toBe('closed');
    const closed = await receiver.waitFor('pull_request closed', (d) => d.event === 'pull_request' && d.payload.action === 'closed');
    expect(closed.signature).toBe(signed(closed));
    expect((await gitea.pullRequest(repo, pr.number)).state).toBe('closed');

    await gitea.deleteRepository(repo);
    await expect(gitea.api('GET', `/repos/${repo.owner}/${repo.name}`)).rejects.toThrow(/HTTP 404/);
  });
});
