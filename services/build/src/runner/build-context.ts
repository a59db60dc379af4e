import dockerignore from '@balena/dockerignore';
import { createReadStream } from 'node:fs';
import { lstat, readdir, readlink } from 'node:fs/promises';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { pack as tarPack, type Pack } from 'tar-stream';
import { readSourceFile } from './source-path.adapter';

/** A file Slipway adds to the context (a generated Dockerfile, the extra CA bundle…). */
export interface ContextFile {
  name: string;
  content: string | Buffer;
}

export interface BuildContextInput {
  /** The checked-out source tree. */
  sourceDir: string;
  /** Its .dockerignore (readDockerignore), read once before the build starts. */
  dockerignore: string | undefined;
  /** Where the source goes in the context: '' for the root (a user's Dockerfile), else a folder. */
  prefix: string;
  /** Source paths kept whatever .dockerignore says (the Dockerfile, as the docker CLI does). */
  alwaysInclude: string[];
  /** Added at the context root; they replace source files at the same path. */
  extraFiles: ContextFile[];
  /** Every entry's mtime, so a context is the same bytes for the same commit. */
  mtime: Date;
}

/**
 * The repository's .dockerignore, applied here as the docker CLI would: the daemon does not. A
 * link to it is followed inside the tree only (the extra-CA rewrite copies it into the context).
 */
export const readDockerignore = (sourceDir: string): string | undefined => readSourceFile(sourceDir, '.dockerignore');

type Visit = (relativePath: string, absolutePath: string) => Promise<void>;

/** Depth first, in name order; skips a directory outright when nothing inside could be re-included. */
const walk = async (root: string, skipDirectory: (relativePath: string) => boolean, visit: Visit, relative = ''): Promise<void> => {
  const entries = await readdir(join(root, relative), { withFileTypes: true });
  entries.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
  for (const entry of entries) {
    const path = relative ? `${relative}/${entry.name}` : entry.name;
    if (entry.isDirectory() && skipDirectory(path)) continue;
    await visit(path, join(root, path));
    if (entry.isDirectory()) await walk(root, skipDirectory, visit, path);
  }
};

const addEntry = async (pack: Pack, name: string, absolutePath: string, mtime: Date): Promise<void> => {
  const stats = await lstat(absolutePath);
  const header = { name, mode: stats.mode & 0o7777, mtime, uid: 0, gid: 0 };
  if (stats.isDirectory()) {
    pack.entry({ ...header, type: 'directory' });
  } else if (stats.isSymbolicLink()) {
    pack.entry({ ...header, type: 'symlink', linkname: await readlink(absolutePath) });
  } else if (stats.isFile()) {
    await pipeline(createReadStream(absolutePath), pack.entry({ ...header, type: 'file', size: stats.size }));
  }
  // sockets, fifos and devices have no place in a build context
};

/**
 * Streams the build context as a tar: the source tree filtered by its .dockerignore, owned by
 * root (as the docker CLI sends it), plus Slipway's files. Errors surface on the stream. Links
 * go in as links, never followed here: the Engine resolves them inside the context, so one that
 * points out of the tree finds nothing there.
 */
export const packBuildContext = (input: BuildContextInput): Readable => {
  const pack = tarPack();
  const produce = async () => {
    const patterns = input.dockerignore;
    const rules = dockerignore().add(patterns ?? '');
    const hasExceptions = (patterns ?? '').split(/\r?\n/).some((line) => line.trim().startsWith('!'));
    const replaced = new Set(input.extraFiles.map((file) => file.name));
    const kept = new Set(input.alwaysInclude);
    const inContext = (path: string) => (input.prefix ? `${input.prefix}/${path}` : path);
    if (input.prefix) pack.entry({ name: input.prefix, type: 'directory', mode: 0o755, mtime: input.mtime, uid: 0, gid: 0 });
    await walk(
      input.sourceDir,
      (path) => !hasExceptions && rules.ignores(path) && ![...kept].some((keep) => keep.startsWith(`${path}/`)),
      async (path, absolutePath) => {
        if (replaced.has(inContext(path))) return;
        if (rules.ignores(path) && !kept.has(path)) return;
        await addEntry(pack, inContext(path), absolutePath, input.mtime);
      },
    );
    for (const file of input.extraFiles) {
      pack.entry({ name: file.name, type: 'file', mode: 0o644, mtime: input.mtime, uid: 0, gid: 0 }, file.content);
    }
    pack.finalize();
  };
  produce().catch((err: unknown) => pack.destroy(err as Error));
  // tar-stream's packer is a streamx stream: hand callers a Node one.
  return Readable.from(pack);
};
