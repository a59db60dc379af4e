import { mkdirSync, mkdtempSync, realpathSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { readSourceFile, refusedSourcePath, resolveSourcePath, MAX_SOURCE_READ } from './source-path.adapter';
import { sourceTreeAt } from './source-tree.adapter';

/** Path logic on a real temporary directory: `<base>/src` is the tree, `<base>/host` is not. */
describe('source path resolution', () => {
  let base: string;
  let src: string;
  let host: string;

  const file = (path: string, content = 'x') => {
    mkdirSync(dirname(path), { recursive: true });
    writeFileSync(path, content);
  };
  const link = (path: string, target: string) => {
    mkdirSync(dirname(path), { recursive: true });
    symlinkSync(target, path);
  };
  const inside = (path: string) => ({ kind: 'inside', realPath: join(src, path) });

  beforeEach(() => {
    base = realpathSync(mkdtempSync(join(tmpdir(), 'build-test-source-path-')));
    src = join(base, 'src');
    host = join(base, 'host');
    file(join(src, 'docker/app.Dockerfile'), 'FROM x');
    file(join(host, 'shadow'), 'root:secret');
    file(join(base, 'src-sibling/secret'), 'sibling');
  });
  afterEach(() => rmSync(base, { recursive: true, force: true }));

  it('resolves plain paths, and says when there is nothing there', () => {
    expect(resolveSourcePath(src, 'docker/app.Dockerfile')).toEqual(inside('docker/app.Dockerfile'));
    expect(resolveSourcePath(src, './docker//app.Dockerfile')).toEqual(inside('docker/app.Dockerfile'));
    expect(resolveSourcePath(src, 'docker')).toEqual(inside('docker'));
    expect(resolveSourcePath(src, 'nothing/here')).toEqual({ kind: 'missing' });
    expect(resolveSourcePath(src, 'docker/app.Dockerfile/below')).toEqual({ kind: 'missing' });
  });

  it('follows links that stay inside: relative, absolute, chained, through directories and `..`', () => {
    link(join(src, 'Dockerfile'), 'docker/app.Dockerfile');
    link(join(src, 'conf'), 'docker');
    link(join(src, 'absolute'), join(src, 'docker'));
    link(join(src, 'first'), 'second');
    link(join(src, 'second'), 'conf/app.Dockerfile');
    link(join(src, 'sub/up'), '../docker/./app.Dockerfile');
    link(join(src, 'self'), '.');
    expect(resolveSourcePath(src, 'Dockerfile')).toEqual(inside('docker/app.Dockerfile'));
    expect(resolveSourcePath(src, 'conf/app.Dockerfile')).toEqual(inside('docker/app.Dockerfile'));
    expect(resolveSourcePath(src, 'absolute/app.Dockerfile')).toEqual(inside('docker/app.Dockerfile'));
    expect(resolveSourcePath(src, 'first')).toEqual(inside('docker/app.Dockerfile'));
    expect(resolveSourcePath(src, 'sub/up')).toEqual(inside('docker/app.Dockerfile'));
    expect(resolveSourcePath(src, 'self/self/conf/app.Dockerfile')).toEqual(inside('docker/app.Dockerfile'));
  });

  it('works when the root itself is reached through a link; a link back in through a path outside is still a way out', () => {
    link(join(base, 'root-link'), 'src');
    link(join(src, 'Dockerfile'), 'docker/app.Dockerfile');
    link(join(src, 'around'), join(base, 'root-link/docker/app.Dockerfile'));
    expect(resolveSourcePath(join(base, 'root-link'), 'Dockerfile')).toEqual(inside('docker/app.Dockerfile'));
    expect(resolveSourcePath(join(base, 'root-link'), 'around')).toEqual({ kind: 'outside', link: 'around' });
  });

  it('stops at the link that leads out, and names it', () => {
    link(join(src, 'etc'), '/etc');
    link(join(src, 'Dockerfile'), join(host, 'shadow'));
    link(join(src, 'nested/up'), '../../host');
    link(join(src, 'hop'), 'nested/up/shadow');
    link(join(src, 'sibling'), '../src-sibling/secret'); // shares the root's name as a prefix
    link(join(src, 'dangling'), '/nowhere/at/all');
    expect(resolveSourcePath(src, 'etc/shadow')).toEqual({ kind: 'outside', link: 'etc' });
    expect(resolveSourcePath(src, 'etc')).toEqual({ kind: 'outside', link: 'etc' });
    expect(resolveSourcePath(src, 'Dockerfile')).toEqual({ kind: 'outside', link: 'Dockerfile' });
    expect(resolveSourcePath(src, 'nested/up/shadow')).toEqual({ kind: 'outside', link: 'nested/up' });
    expect(resolveSourcePath(src, 'hop')).toEqual({ kind: 'outside', link: 'nested/up' });
    expect(resolveSourcePath(src, 'sibling')).toEqual({ kind: 'outside', link: 'sibling' });
    expect(resolveSourcePath(src, 'dangling')).toEqual({ kind: 'outside', link: 'dangling' });
  });

  it('refuses paths that leave without a link, and link loops', () => {
    expect(resolveSourcePath(src, '../host/shadow')).toEqual({ kind: 'outside' });
    expect(resolveSourcePath(src, 'docker/../../host/shadow')).toEqual({ kind: 'outside' });
    expect(resolveSourcePath(src, '/etc/shadow')).toEqual({ kind: 'outside' });
    link(join(src, 'ping'), 'pong');
    link(join(src, 'pong'), 'ping');
    expect(resolveSourcePath(src, 'ping')).toEqual({ kind: 'loop', link: expect.stringMatching(/^p[io]ng$/) });
  });

  it('words a refusal in the user\'s terms, with nothing of the target', () => {
    expect(refusedSourcePath('Dockerfile path', 'etc/shadow', { kind: 'outside', link: 'etc' }).reason).toBe(
      'Dockerfile path "etc/shadow" leads outside the repository (through the link "etc"); use a file inside it',
    );
    expect(refusedSourcePath('Dockerfile path', './Dockerfile', { kind: 'outside', link: 'Dockerfile' }).reason).toBe(
      'Dockerfile path "./Dockerfile" is a link that leads outside the repository; use a file inside it',
    );
    expect(refusedSourcePath('The file', '../x', { kind: 'outside' }).reason).toBe('The file "../x" leads outside the repository; use a file inside it');
    expect(refusedSourcePath('The file', 'ping', { kind: 'loop', link: 'pong' }).reason).toBe(
      'The file "ping" cannot be resolved: the link "pong" is part of a loop; use a file inside the repository',
    );
  });

  it('reads a file through inside links only, and refuses one out before reading it', () => {
    link(join(src, '.dockerignore'), 'docker/app.Dockerfile');
    link(join(src, 'leak'), join(host, 'shadow'));
    file(join(src, 'big'), 'x'.repeat(MAX_SOURCE_READ + 1));
    expect(readSourceFile(src, '.dockerignore')).toBe('FROM x');
    expect(readSourceFile(src, 'missing')).toBeUndefined();
    expect(() => readSourceFile(src, 'leak')).toThrow('The file "leak" is a link that leads outside the repository; use a file inside it');
    expect(() => readSourceFile(src, 'docker', 'Dockerfile path')).toThrow('Dockerfile path "docker" is not a file; name a file inside the repository');
    expect(() => readSourceFile(src, 'big')).toThrow('The file "big" is larger than 1 MiB');
  });

  it('gives strategy detection the same view: inside links are files, a way out is an error', () => {
    link(join(src, 'package.json'), join(host, 'shadow'));
    link(join(src, 'index.html'), 'docker/app.Dockerfile');
    link(join(src, 'etc'), '/etc');
    const tree = sourceTreeAt(src);
    expect(tree.isFile('index.html')).toBe(true);
    expect(tree.read('index.html')).toBe('FROM x');
    expect(tree.isDirectory('docker')).toBe(true);
    expect(tree.isFile('nothing')).toBe(false);
    expect(() => tree.isFile('package.json')).toThrow('The file "package.json" is a link that leads outside the repository');
    expect(() => tree.read('package.json')).toThrow('The file "package.json" is a link that leads outside the repository');
    expect(() => tree.isFile('etc/shadow', 'Dockerfile path')).toThrow(
      'Dockerfile path "etc/shadow" leads outside the repository (through the link "etc"); use a file inside it',
    );
    expect(() => tree.read('nothing')).toThrow('The file "nothing" does not exist');
  });
});
