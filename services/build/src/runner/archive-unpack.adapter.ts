import { spawn, type ChildProcess } from 'node:child_process';
import { extract as tarExtract, pack as tarPack, type Header } from 'tar-stream';
import { BuildError } from './build-error';

/** How much an archive may unpack to: a 200 MB upload of sources, compressed 5 to 1, fits. */
export interface UnpackLimits {
  maxBytes: number;
  /** Entries of any kind: files, folders, links. */
  maxEntries: number;
}

export const DEFAULT_UNPACK_LIMITS: UnpackLimits = { maxBytes: 1024 ** 3, maxEntries: 50_000 };

/** What a source tree may hold; device files, fifos and the like are left out. */
const KEPT_TYPES = new Set<Header['type']>(['file', 'directory', 'symlink', 'link']);

export const sizeInWords = (bytes: number): string =>
  bytes >= 1024 ** 3 && bytes % 1024 ** 3 === 0 ? `${bytes / 1024 ** 3} GiB` : `${+(bytes / 1024 ** 2).toFixed(1)} MiB`;

const tooBig = (archiveId: string, { maxBytes }: UnpackLimits) =>
  new BuildError(
    `Archive ${archiveId} unpacks to more than ${sizeInWords(maxBytes)}, the most a build's source may take here; ` +
      'leave dependencies (node_modules, vendor), build outputs and data out of the archive, or build from git or an image',
  );

const tooMany = (archiveId: string, { maxEntries }: UnpackLimits) =>
  new BuildError(
    `Archive ${archiveId} holds more than ${maxEntries} files and folders, the most a build's source may have here; ` +
      'leave dependencies (node_modules, vendor), .git and build outputs out of the archive, or build from git',
  );

const stderrOf = (child: ChildProcess) => {
  let text = '';
  child.stderr?.on('data', (d: Buffer) => (text = (text + d.toString()).slice(-4000)));
  return () => text.trim();
};

const exitOf = (child: ChildProcess) =>
  new Promise<number | null>((resolve) => {
    child.once('close', (code) => resolve(code));
    child.once('error', () => resolve(-1));
  });

/**
 * Unpacks a tar.gz or zip into `dir` with caps checked as it streams: bsdtar reads the archive and
 * writes its entries as one uncompressed tar stream; each entry's header is checked here before it
 * goes on, whole, to a second bsdtar that writes the files (refusing absolute paths and `..`). The
 * entry that would pass a cap is never started, so at most `maxBytes` and `maxEntries` reach the
 * disk, whatever the archive's own headers or compression ratio claim (a header's size is what
 * the stream then carries: libarchive writes no more than it declares).
 */
export const unpackArchive = async (file: string, dir: string, archiveId: string, limits: UnpackLimits, signal?: AbortSignal): Promise<void> => {
  const reader = spawn('bsdtar', ['-c', '-f', '-', '--format', 'pax', `@${file}`], { stdio: ['ignore', 'pipe', 'pipe'], signal });
  const writer = spawn('bsdtar', ['-x', '-f', '-', '-C', dir], { stdio: ['pipe', 'ignore', 'pipe'], signal });
  const [readerErrors, writerErrors] = [stderrOf(reader), stderrOf(writer)];
  const exits = Promise.all([exitOf(reader), exitOf(writer)]);
  reader.on('error', () => undefined);
  writer.on('error', () => undefined);
  writer.stdin!.on('error', () => undefined); // the writer stopped early: its exit code says why

  const extract = tarExtract();
  const pack = tarPack();
  let refusal: BuildError | undefined;
  const stop = (error: BuildError) => {
    refusal ??= error;
    reader.kill('SIGKILL');
    writer.kill('SIGKILL');
    extract.destroy();
    pack.destroy();
  };

  let bytes = 0;
  let entries = 0;
  // Folders the writer makes on its own for an entry's path (`a/b/file` makes a and a/b) count too.
  const folders = new Set<string>();
  const newEntries = (name: string, type: string | null | undefined) => {
    const parts = name.replace(/\/+$/, '').split('/');
    let n = 0;
    for (let i = 1; i <= parts.length; i++) {
      const path = parts.slice(0, i).join('/');
      const folder = i < parts.length || type === 'directory';
      if (folder && folders.has(path)) continue;
      if (folder) folders.add(path);
      n++;
    }
    return n;
  };
  extract.on('entry', (header, stream, next) => {
    entries += newEntries(header.name, header.type);
    if (entries > limits.maxEntries) return stop(tooMany(archiveId, limits));
    if (!KEPT_TYPES.has(header.type)) {
      stream.on('end', next).resume();
      return;
    }
    bytes += header.size ?? 0;
    if (bytes > limits.maxBytes) return stop(tooBig(archiveId, limits));
    // Only what a file needs: extended (pax) fields such as a sparse file's "real size" stay behind.
    const { name, linkname, type, mode, mtime, size } = header;
    const sink = pack.entry({ name, linkname, type, mode, mtime, size, uid: 0, gid: 0 }, (err) => (err ? undefined : next()));
    stream.pipe(sink);
  });
  extract.on('finish', () => pack.finalize());
  extract.on('error', () => undefined);
  pack.on('error', () => undefined);
  reader.stdout!.pipe(extract);
  pack.pipe(writer.stdin!);

  const [readerExit, writerExit] = await exits;
  if (refusal) throw refusal;
  if (signal?.aborted) throw signal.reason ?? new Error('aborted');
  if (readerExit !== 0 || writerExit !== 0) {
    const reason = [readerErrors(), writerErrors()].filter(Boolean).join('; ') || `bsdtar exited with ${readerExit === 0 ? writerExit : readerExit}`;
    throw new BuildError(`Archive ${archiveId} could not be unpacked: ${reason}`);
  }
};
