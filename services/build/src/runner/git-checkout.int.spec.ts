import { execFileSync, spawn } from 'node:child_process';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { BuildError } from './build-error';
import { checkoutCommit, type CheckoutInput } from './git-checkout.adapter';

// Real git against repositories this test creates; no Docker needed.
const git = (cwd: string, ...args: string[]) =>
  execFileSync('git', ['-c', 'user.email=test@slipway.local', '-c', 'user.name=test', ...args], { cwd, encoding: 'utf8' }).trim();

const sizeOf = (dir: string): number =>
  readdirSync(dir, { withFileTypes: true }).reduce(
    (sum, entry) => sum + (entry.isDirectory() ? sizeOf(join(dir, entry.name)) : statSync(join(dir, entry.name)).size),
    0,
  );


const filesContaining = (dir: string, needles: string[]): string[] =>
  readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) return filesContaining(path, needles);
    const content = readFileSync(path, 'latin1');
    return needles.some((needle) => content.includes(needle)) ? [path] : [];
  });

/**
 * A private git host over smart HTTP: git's own http-backend behind basic auth, answering 401 to
 * a request without the expected token (as GitHub does). Records every Authorization it saw.
 */
const privateGitHost = (projectRoot: string, token: string) => {
  const seen: (string | undefined)[] = [];
  const expected = `Basic ${Buffer.from(`x-access-token:${token}`).toString('base64')}`;
  const server: Server = createServer((req, res) => {
    seen.push(req.headers.authorization);
    if (req.headers.authorization !== expected) {
      res.writeHead(401, { 'WWW-Authenticate': 'Basic realm="git"' }).end();
      return;
    }
    const url = new URL(req.url ?? '/', 'http://host');
    const cgi = spawn('/usr/lib/git-core/git-http-backend', [], {
      env: {
        GIT_PROJECT_ROOT: projectRoot,
        GIT_HTTP_EXPORT_ALL: '1',
        PATH_INFO: decodeURIComponent(url.pathname),
        QUERY_STRING: url.search.slice(1),
        REQUEST_METHOD: req.method ?? 'GET',
        CONTENT_TYPE: req.headers['content-type'] ?? '',
        GIT_PROTOCOL: String(req.headers['git-protocol'] ?? ''),
        REMOTE_USER: 'x-access-token',
      },
    });
    req.pipe(cgi.stdin);
    let head = Buffer.alloc(0);
    let headersSent = false;
    cgi.stdout.on('data', (chunk: Buffer) => {
      if (headersSent) return void res.write(chunk);
      head = Buffer.concat([head, chunk]);
      const end = head.indexOf('\r\n\r\n');
      if (end === -1) return;
      const headers = head.subarray(0, end).toString().split('\r\n').map((line) => line.split(/:\s*/, 2) as [string, string]);
      const status = Number(headers.find(([name]) => name.toLowerCase() === 'status')?.[1]?.split(' ')[0] ?? 200);
      res.writeHead(status, Object.fromEntries(headers.filter(([name]) => name.toLowerCase() !== 'status')));
      headersSent = true;
      res.write(head.subarray(end + 4));
    });
    cgi.on('close', () => res.end());
  });
  return {
    seen,
    start: () => new Promise<string>((resolve) => server.listen(0, '127.0.0.1', () => resolve(`http://127.0.0.1:${(server.address() as AddressInfo).port}`))),
    stop: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
};

describe('git checkout (clone cache, shallow, exact commit)', () => {
  let root: string;
  let origin: string;
  let lines: string[];
  let n = 0;
  const input = (over: Partial<CheckoutInput>): CheckoutInput => {
    const targetDir = join(root, `target-${++n}`);
    mkdirSync(targetDir);
    return {
      url: origin,
      ref: 'main',
      cacheDir: join(root, 'cache'),
      cacheScope: 'shop',
      protectedDirs: [join(root, 'slipway-data')],
      targetDir,
      knownHostsFile: join(root, 'ssh', 'known_hosts'),
      signal: new AbortController().signal,
      log: { system: (m) => lines.push(m), stderr: (m) => lines.push(m) },
      ...over,
    };
  };

  beforeAll(() => {
    root = mkdtempSync(join(tmpdir(), 'build-test-git-'));
    origin = join(root, 'origin');
    mkdirSync(origin);
    git(origin, 'init', '-q', '-b', 'main');
    writeFileSync(join(origin, 'big.bin'), randomBytes(2 * 1024 * 1024)); // incompressible: shows what a fetch transfers
    writeFileSync(join(origin, 'app.js'), 'v1');
    git(origin, 'add', '.');
    git(origin, 'commit', '-q', '-m', 'one');
    git(origin, 'tag', '-a', 'v1', '-m', 'release 1');
    writeFileSync(join(origin, 'app.js'), 'v2');
    git(origin, 'commit', '-q', '-am', 'two');
  });
  afterAll(() => rmSync(root, { recursive: true, force: true }));
  beforeEach(() => (lines = []));

  it('checks out a branch as its exact, full commit, from a plain path or a file:// URL', async () => {
    const head = git(origin, 'rev-parse', 'HEAD');
    const fromPath = input({});
    const checkedOut = await checkoutCommit(fromPath);
    expect(checkedOut.commitSha).toBe(head);
    expect(checkedOut.committedAt.getTime()).toBe(Number(git(origin, 'show', '-s', '--format=%ct', 'HEAD')) * 1000);
    expect(readFileSync(join(fromPath.targetDir, 'app.js'), 'utf8')).toBe('v2');
    expect(existsSync(join(fromPath.targetDir, '.git'))).toBe(false);
    expect((await checkoutCommit(input({ url: `file://${origin}` }))).commitSha).toBe(head);
  });

  it('checks out an annotated tag and a full commit sha', async () => {
    const first = git(origin, 'rev-parse', 'v1^{commit}');
    const tagged = input({ ref: 'v1' });
    expect((await checkoutCommit(tagged)).commitSha).toBe(first);
    expect(readFileSync(join(tagged.targetDir, 'app.js'), 'utf8')).toBe('v1');
    expect((await checkoutCommit(input({ ref: first }))).commitSha).toBe(first);
  });

  it('fetches only what changed on a rebuild', async () => {
    const cacheDir = join(root, 'cache-incremental');
    await checkoutCommit(input({ cacheDir }));
    const before = sizeOf(cacheDir);
    expect(before).toBeGreaterThan(2 * 1024 * 1024);
    writeFileSync(join(origin, 'app.js'), 'v3');
    git(origin, 'commit', '-q', '-am', 'three');
    const again = input({ cacheDir });
    expect((await checkoutCommit(again)).commitSha).toBe(git(origin, 'rev-parse', 'HEAD'));
    expect(readFileSync(join(again.targetDir, 'app.js'), 'utf8')).toBe('v3');
    expect(statSync(join(again.targetDir, 'big.bin')).size).toBe(2 * 1024 * 1024);
    const grewBy = sizeOf(cacheDir) - before;
    expect(grewBy).toBeLessThan(100 * 1024); // the 2 MB blob was not fetched again
    expect(lines).toContainEqual(expect.stringContaining('(cached repository)'));
  });

  it('serialises concurrent checkouts of one repository', async () => {
    const results = await Promise.all([checkoutCommit(input({})), checkoutCommit(input({ ref: 'v1' })), checkoutCommit(input({}))]);
    expect(new Set(results.map((r) => r.commitSha)).size).toBe(2);
  });

  it('names a ref that does not exist, branch or commit', async () => {
    await expect(checkoutCommit(input({ ref: 'no-such-branch' }))).rejects.toThrow(new BuildError(`Git ref "no-such-branch" not found in ${origin}`));
    await expect(checkoutCommit(input({ ref: 'f'.repeat(40) }))).rejects.toThrow(`Git ref "${'f'.repeat(40)}" not found`);
  });

  it('says when there is no repository at all', async () => {
    await expect(checkoutCommit(input({ url: join(root, 'nothing-here') }))).rejects.toThrow(/Could not read .*nothing-here: no git repository there/);
  });

  it('never logs a token and leaves no deploy key behind', async () => {
    const keyDirs = () => readdirSync(tmpdir()).filter((name) => name.startsWith('slipway-deploy-key-'));
    const keysBefore = keyDirs().length;
    const token = 'ghp_build_test_secret_token';
    const tokenRun = input({ url: 'https://127.0.0.1:1/acme/shop.git', credentials: { kind: 'token', token } });
    const error = (await checkoutCommit(tokenRun).catch((err: unknown) => err)) as BuildError;
    expect(error).toBeInstanceOf(BuildError);
    expect(`${error.message} ${lines.join(' ')}`).not.toContain(token);
    expect(`${error.message} ${lines.join(' ')}`).not.toContain(Buffer.from(`x-access-token:${token}`).toString('base64'));
    await expect(
      checkoutCommit(input({ url: 'ssh://git@127.0.0.1:1/acme/shop.git', credentials: { kind: 'deploy-key', privateKey: 'not really a key' } })),
    ).rejects.toThrow(BuildError);
    expect(keyDirs().length).toBe(keysBefore);
    await expect(checkoutCommit(input({ url: origin, credentials: { kind: 'deploy-key', privateKey: 'k' } }))).rejects.toThrow(
      'A deploy key needs an ssh repository URL',
    );
  });

  it('fetches a private repository with its token (an HTTP header, never stored), and names a wrong or missing token as access denied', async () => {
    const token = 'ghp_private_repo_token_for_test';
    const host = privateGitHost(root, token);
    const base = await host.start();
    try {
      const url = `${base}/origin`;
      const right = input({ url, credentials: { kind: 'token', token }, cacheDir: join(root, 'cache-private') });
      expect((await checkoutCommit(right)).commitSha).toBe(git(origin, 'rev-parse', 'HEAD'));
      expect(readFileSync(join(right.targetDir, 'app.js'), 'utf8')).toMatch(/^v\d$/);
      const wrong = await checkoutCommit(input({ url, credentials: { kind: 'token', token: 'ghp_wrong_token_value' }, cacheDir: join(root, 'cache-private-2') })).catch(
        (err: unknown) => err as BuildError,
      );
      expect((wrong as BuildError).reason).toBe(`Could not read ${url}: access denied (check the URL and the repository's credentials)`);
      const none = await checkoutCommit(input({ url, cacheDir: join(root, 'cache-private-3') })).catch((err: unknown) => err as BuildError);
      expect((none as BuildError).reason).toMatch(/access denied/);
      expect(lines.join('\n')).not.toMatch(/ghp_/);
      expect(host.seen.filter(Boolean).length).toBeGreaterThan(0);
      // nothing of the token is kept in the cached repository
      const basic = Buffer.from(`x-access-token:${token}`).toString('base64');
      expect(filesContaining(join(root, 'cache-private'), [token, basic])).toEqual([]);
    } finally {
      await host.stop();
    }
  });

  it('stops when the build is cancelled', async () => {
    const abort = new AbortController();
    abort.abort();
    await expect(checkoutCommit(input({ cacheDir: join(root, 'cache-cancelled'), signal: abort.signal }))).rejects.toThrow();
  });

  describe('security: project caches and Slipway\u2019s data', () => {
    it('keeps each project\u2019s fetched repositories apart', async () => {
      const cacheDir = join(root, 'cache-scoped');
      await checkoutCommit(input({ cacheDir, cacheScope: 'alpha' }));
      await checkoutCommit(input({ cacheDir, cacheScope: 'beta' }));
      expect(readdirSync(cacheDir).sort()).toEqual(['alpha', 'beta']);
      expect(readdirSync(join(cacheDir, 'alpha'))).toEqual(readdirSync(join(cacheDir, 'beta')));
      await expect(checkoutCommit(input({ cacheDir, cacheScope: '../alpha' }))).rejects.toThrow('Invalid git cache scope');
    });

    it('refuses a local source inside Slipway\u2019s data directory, however it is spelt', async () => {
      const cached = join(root, 'slipway-data', 'build', 'git', 'other', 'abc.git');
      mkdirSync(join(cached, '..'), { recursive: true });
      git(root, 'clone', '-q', '--bare', origin, cached);
      symlinkSync(join(root, 'slipway-data'), join(root, 'innocent-link'));
      const spellings = [
        cached,
        `file://${cached}`,
        `file://${cached.replace('slipway-data', 'slipway%2Ddata')}`,
        `file://localhost${cached}`,
        join(root, 'innocent-link', 'build', 'git', 'other', 'abc'),
        `${root}/origin/../slipway-data/build/git/other/abc.git`,
      ];
      for (const url of spellings) {
        await expect(checkoutCommit(input({ url }))).rejects.toThrow(/inside Slipway's data directory .*build from the repository itself/);
      }
    });
  });
});
