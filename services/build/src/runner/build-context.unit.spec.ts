import { mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pipeline } from 'node:stream/promises';
import { extract, type Header } from 'tar-stream';
import { packBuildContext, type BuildContextInput } from './build-context';

const unpack = async (input: BuildContextInput): Promise<Map<string, { header: Header; content: string }>> => {
  const entries = new Map<string, { header: Header; content: string }>();
  const reader = extract();
  const done = (async () => {
    for await (const entry of reader) {
      const chunks: Buffer[] = [];
      for await (const chunk of entry) chunks.push(chunk as Buffer);
      entries.set(entry.header.name, { header: entry.header, content: Buffer.concat(chunks).toString('utf8') });
    }
  })();
  await Promise.all([pipeline(packBuildContext(input), reader as unknown as NodeJS.WritableStream), done]);
  return entries;
};

describe('build context', () => {
  const ignored = 'node_modules\n*.env\n!keep.env\nDockerfile\n';
  let dir: string;
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'build-test-context-'));
    mkdirSync(join(dir, 'src'));
    mkdirSync(join(dir, 'node_modules/dep'), { recursive: true });
    writeFileSync(join(dir, 'src/server.js'), 'console.log(1)');
    writeFileSync(join(dir, 'node_modules/dep/index.js'), 'x');
    writeFileSync(join(dir, 'secret.env'), 'TOKEN=1');
    writeFileSync(join(dir, 'keep.env'), 'PUBLIC=1');
    writeFileSync(join(dir, 'Dockerfile'), 'FROM x');
    writeFileSync(join(dir, 'run.sh'), '#!/bin/sh', { mode: 0o755 });
    symlinkSync('src/server.js', join(dir, 'main.js'));
    writeFileSync(join(dir, '.dockerignore'), ignored);
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  const mtime = new Date('2026-01-02T03:04:05Z');

  it('applies .dockerignore like the docker CLI, yet always sends the Dockerfile', async () => {
    const entries = await unpack({ sourceDir: dir, dockerignore: ignored, prefix: '', alwaysInclude: ['Dockerfile', '.dockerignore'], extraFiles: [], mtime });
    expect([...entries.keys()].sort()).toEqual(['.dockerignore', 'Dockerfile', 'keep.env', 'main.js', 'run.sh', 'src', 'src/server.js']);
    expect(entries.get('src/server.js')).toMatchObject({ content: 'console.log(1)', header: { uid: 0, gid: 0, mtime } });
    expect(entries.get('run.sh')?.header.mode).toBe(0o755);
    expect(entries.get('main.js')?.header).toMatchObject({ type: 'symlink', linkname: 'src/server.js' });
  });

  it('puts the source under a prefix and Slipway files at the root, replacing same-named ones', async () => {
    const entries = await unpack({
      sourceDir: dir,
      dockerignore: ignored,
      prefix: 'app',
      alwaysInclude: [],
      extraFiles: [
        { name: 'Dockerfile', content: 'FROM generated' },
        { name: 'app/keep.env', content: 'REPLACED=1' },
      ],
      mtime,
    });
    expect(entries.get('Dockerfile')?.content).toBe('FROM generated');
    expect(entries.get('app/keep.env')?.content).toBe('REPLACED=1');
    expect(entries.has('app/src/server.js')).toBe(true);
    expect(entries.has('app/Dockerfile')).toBe(false); // ignored, and not kept for a generated build
    expect([...entries.keys()].filter((name) => name === 'app/keep.env')).toHaveLength(1);
  });

  it('sends a link that points out of the tree as a link, never what it points to', async () => {
    symlinkSync('/etc', join(dir, 'etc'));
    const entries = await unpack({ sourceDir: dir, dockerignore: undefined, prefix: '', alwaysInclude: [], extraFiles: [], mtime });
    expect(entries.get('etc')).toMatchObject({ header: { type: 'symlink', linkname: '/etc' }, content: '' });
    expect([...entries.keys()].filter((name) => name.startsWith('etc/'))).toEqual([]);
  });

  it('fails the stream when the source cannot be read', async () => {
    await expect(unpack({ sourceDir: join(dir, 'missing'), dockerignore: undefined, prefix: '', alwaysInclude: [], extraFiles: [], mtime })).rejects.toThrow(/ENOENT/);
  });
});
