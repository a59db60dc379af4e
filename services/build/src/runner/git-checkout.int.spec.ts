import { execFileSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
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

  it('stops when the build is cancelled', async () => {
    const abort = new AbortController();
    abort.abort();
    await expect(checkoutCommit(input({ cacheDir: join(root, 'cache-cancelled'), signal: abort.signal }))).rejects.toThrow();
  });
});
