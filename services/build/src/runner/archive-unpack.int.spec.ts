import { execFileSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { closeSync, createWriteStream, ftruncateSync, lstatSync, mkdirSync, mkdtempSync, openSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { createGzip } from 'node:zlib';
import { pack as tarPack } from 'tar-stream';
import { infraEnv } from '@slipway/testing';
import { unpackArchive, type UnpackLimits } from './archive-unpack.adapter';
import { buildConfigFromEnv } from './build-config';
import { BuildError } from './build-error';
import type { BuildConfig } from './build-job';
import { runBuild } from './run-build';

/**
 * Issue 10: an archive of 1 MB unpacked to a 1 GiB file. Bombs made here, small on the wire and
 * 256 MiB unpacked, against a cap of 20 MiB: real bsdtar, real files, and what reached the disk.
 */
const MiB = 1024 ** 2;
const limits: UnpackLimits = { maxBytes: 20 * MiB, maxEntries: 100 };
let root: string;

/** Everything under `dir`: bytes of files (as stored, not sparse) and entries of any kind. */
const written = (dir: string): { bytes: number; entries: number } => {
  let bytes = 0;
  let entries = 0;
  for (const name of readdirSync(dir)) {
    const path = join(dir, name);
    const info = lstatSync(path);
    entries++;
    if (info.isDirectory()) {
      const inner = written(path);
      bytes += inner.bytes;
      entries += inner.entries;
    } else bytes += Math.max(info.size, info.blocks * 512);
  }
  return { bytes, entries };
};

function* zeroChunks(size: number) {
  const zeros = Buffer.alloc(MiB);
  for (let left = size; left > 0; left -= zeros.length) yield zeros.subarray(0, Math.min(zeros.length, left));
}

/** A tar.gz of `count` files of `size` zero bytes each: compressed about a thousand to one. */
const tarGzBomb = async (count: number, size: number): Promise<string> => {
  const file = join(root, `bomb-${randomBytes(3).toString('hex')}.tar.gz`);
  const pack = tarPack();
  const produce = async () => {
    for (let i = 0; i < count; i++) {
      await new Promise<void>((resolve, reject) => {
        const entry = pack.entry({ name: `app/part-${i}.bin`, size, mode: 0o644 }, (err) => (err ? reject(err) : resolve()));
        Readable.from(zeroChunks(size)).pipe(entry as unknown as NodeJS.WritableStream);
      });
    }
    pack.finalize();
  };
  await Promise.all([produce(), pipeline(pack, createGzip({ level: 9 }), createWriteStream(file))]);
  return file;
};

/** A zip of `count` files of `size` zero bytes each (deflated; written from sparse files, so quick). */
const zipBomb = (count: number, size: number): string => {
  const dir = mkdtempSync(join(root, 'zip-src-'));
  for (let i = 0; i < count; i++) {
    const fd = openSync(join(dir, `part-${i}.bin`), 'w');
    ftruncateSync(fd, size);
    closeSync(fd);
  }
  const file = join(root, `bomb-${randomBytes(3).toString('hex')}.zip`);
  execFileSync('bsdtar', ['--format', 'zip', '-c', '-f', file, '-C', dir, '.']);
  rmSync(dir, { recursive: true, force: true });
  return file;
};

const unpackInto = async (archive: string, caps = limits) => {
  const dir = mkdtempSync(join(root, 'out-'));
  const error = await unpackArchive(archive, dir, 'a_test', caps).then(() => undefined, (err: unknown) => err);
  return { dir, error };
};

beforeAll(() => {
  root = mkdtempSync(join(tmpdir(), 'archive-unpack-'));
});

afterAll(() => rmSync(root, { recursive: true, force: true }));

describe('security: archive unpack caps', () => {
  it('stops a tar.gz bomb (256 MiB of zeros) at 20 MiB, naming the limit and what to do, with nothing past the cap on disk', async () => {
    const bomb = await tarGzBomb(32, 8 * MiB);
    expect(statSync(bomb).size).toBeLessThan(MiB);
    const { dir, error } = await unpackInto(bomb);
    expect(error).toBeInstanceOf(BuildError);
    expect((error as BuildError).reason).toBe(
      "Archive a_test unpacks to more than 20 MiB, the most a build's source may take here; " +
        'leave dependencies (node_modules, vendor), build outputs and data out of the archive, or build from git or an image',
    );
    expect(written(dir).bytes).toBeLessThanOrEqual(limits.maxBytes);
  }, 60_000);

  it('stops a zip bomb the same way', async () => {
    const bomb = zipBomb(32, 8 * MiB);
    expect(statSync(bomb).size).toBeLessThan(MiB);
    const { dir, error } = await unpackInto(bomb);
    expect((error as BuildError).reason).toMatch(/^Archive a_test unpacks to more than 20 MiB, the most a build's source may take here/);
    expect(written(dir).bytes).toBeLessThanOrEqual(limits.maxBytes);
  }, 60_000);

  it('stops an archive of too many files at the count, tar.gz and zip alike', async () => {
    for (const bomb of [await tarGzBomb(300, 0), zipBomb(300, 0)]) {
      const { dir, error } = await unpackInto(bomb);
      expect((error as BuildError).reason).toBe(
        "Archive a_test holds more than 100 files and folders, the most a build's source may have here; " +
          'leave dependencies (node_modules, vendor), .git and build outputs out of the archive, or build from git',
      );
      expect(written(dir).entries).toBeLessThanOrEqual(limits.maxEntries);
    }
  }, 60_000);

  it('unpacks what fits as before: folders, an executable, a link inside the tree, a name longer than 100 bytes', async () => {
    const src = mkdtempSync(join(root, 'fits-'));
    const long = `${'deep/'.repeat(30)}file.txt`;
    mkdirSync(join(src, 'site', long, '..'), { recursive: true });
    writeFileSync(join(src, 'site', 'index.html'), 'hello');
    writeFileSync(join(src, 'site', 'run.sh'), '#!/bin/sh\n', { mode: 0o755 });
    writeFileSync(join(src, 'site', long), 'deep');
    execFileSync('ln', ['-s', 'index.html', join(src, 'site', 'home.html')]);
    for (const format of ['tar.gz', 'zip']) {
      const archive = join(root, `fits.${format}`);
      execFileSync('bsdtar', ['-a', '-c', '-f', archive, '-C', src, 'site']);
      const { dir, error } = await unpackInto(archive);
      expect(error).toBeUndefined();
      expect(readFileSync(join(dir, 'site', 'home.html'), 'utf8')).toBe('hello');
      expect(lstatSync(join(dir, 'site', 'home.html')).isSymbolicLink()).toBe(true);
      expect(statSync(join(dir, 'site', 'run.sh')).mode & 0o111).not.toBe(0);
      expect(readFileSync(join(dir, 'site', long), 'utf8')).toBe('deep');
    }
  });

  it('fails the build of a bomb with the cap in its reason, before Docker is asked for anything', async () => {
    const archivesDir = join(root, 'archives');
    mkdirSync(archivesDir);
    writeFileSync(join(archivesDir, 'a_bomb'), readFileSync(await tarGzBomb(32, 8 * MiB)));
    const config: BuildConfig = { ...buildConfigFromEnv({ ...process.env, ...infraEnv() }), dataDir: join(root, 'data'), archivesDir, unpackLimits: limits };
    const started: unknown[] = [];
    const error = await runBuild(
      { buildId: `bomb-${randomBytes(3).toString('hex')}`, deploymentId: 'd-1', projectName: 'unpack-test', serviceName: 'bomb', source: { kind: 'archive', archiveId: 'a_bomb' }, dockerfilePath: 'Dockerfile' },
      config,
      { onLog: () => undefined, onStarted: (info) => started.push(info) },
    ).then(() => undefined, (err: unknown) => err);
    expect((error as BuildError).reason).toMatch(/^Archive a_bomb unpacks to more than 20 MiB, the most a build's source may take here; leave dependencies/);
    expect(started).toEqual([]);
    expect(readdirSync(join(root, 'data', 'contexts'))).toEqual([]);
  }, 60_000);
});
