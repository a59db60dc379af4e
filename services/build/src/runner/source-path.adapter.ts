import { lstatSync, readFileSync, readlinkSync, realpathSync, statSync } from 'node:fs';
import { isAbsolute, join, posix, relative, resolve, sep } from 'node:path';
import { BuildError } from './build-error';

/** Where a repository-relative path leads once every link on the way has been followed. */
export type SourcePath =
  | { kind: 'inside'; realPath: string }
  | { kind: 'missing' }
  /** `link`: the tree-relative path of the link that leaves; absent when the path itself does. */
  | { kind: 'outside'; link?: string }
  | { kind: 'loop'; link: string };

/** Linux gives up after 40 links (ELOOP); so does this. */
const MAX_LINKS = 40;

const within = (root: string, path: string) => path === root || path.startsWith(`${root}${sep}`);

const treeRelative = (realRoot: string, path: string) => relative(realRoot, path).split(sep).join('/');

const normalise = (path: string) => posix.normalize(path.replace(/\\/g, '/'));

/**
 * Resolves `path` inside the source tree at `root` the way the kernel would, one component at a
 * time, but stops at the first link whose target leaves the tree instead of following it there:
 * a repository or an archive may hold `etc -> /etc`, and the build service runs as root.
 * Links that stay inside keep working (relative, absolute to a path inside, or chained).
 */
export const resolveSourcePath = (root: string, path: string): SourcePath => {
  const realRoot = realpathSync(root);
  const normalised = normalise(path);
  if (isAbsolute(normalised) || normalised === '..' || normalised.startsWith('../')) return { kind: 'outside' };
  let pending = normalised.split('/').filter((part) => part !== '' && part !== '.');
  // Always a real path (no link in it), so a `..` in a link's target is its physical parent.
  let current = realRoot;
  let links = 0;
  while (pending.length > 0) {
    const [name, ...rest] = pending;
    const next = join(current, name);
    let isLink: boolean;
    try {
      isLink = lstatSync(next).isSymbolicLink();
    } catch (err) {
      const code = (err as NodeJS.ErrnoException).code;
      if (code === 'ENOENT' || code === 'ENOTDIR') return { kind: 'missing' };
      throw err;
    }
    if (!isLink) {
      current = next;
      pending = rest;
      continue;
    }
    const link = treeRelative(realRoot, next);
    if (++links > MAX_LINKS) return { kind: 'loop', link };
    const target = resolve(current, readlinkSync(next));
    if (!within(realRoot, target)) return { kind: 'outside', link };
    pending = [...treeRelative(realRoot, target).split('/').filter(Boolean), ...rest];
    current = realRoot;
  }
  // The walk only ever stood on real paths inside the root; this says so once more, by realpath.
  const realPath = realpathSync(current);
  return within(realRoot, realPath) ? { kind: 'inside', realPath } : { kind: 'outside' };
};

/**
 * The error a user sees for a path that cannot be used: what they wrote and what to do, never
 * a byte of where it leads. `what` names the path ('Dockerfile path', 'The file').
 */
export const refusedSourcePath = (what: string, path: string, resolved: Extract<SourcePath, { kind: 'outside' | 'loop' }>): BuildError => {
  const named = `${what} "${path}"`;
  if (resolved.kind === 'loop') return new BuildError(`${named} cannot be resolved: the link "${resolved.link}" is part of a loop; use a file inside the repository`);
  if (resolved.link === undefined) return new BuildError(`${named} leads outside the repository; use a file inside it`);
  if (resolved.link === normalise(path)) return new BuildError(`${named} is a link that leads outside the repository; use a file inside it`);
  return new BuildError(`${named} leads outside the repository (through the link "${resolved.link}"); use a file inside it`);
};

/** The real path of a file or directory inside the tree, undefined when there is none; refuses a way out. */
export const sourcePathInside = (root: string, path: string, what = 'The file'): string | undefined => {
  const resolved = resolveSourcePath(root, path);
  if (resolved.kind === 'missing') return undefined;
  if (resolved.kind !== 'inside') throw refusedSourcePath(what, path, resolved);
  return resolved.realPath;
};

/** Nothing the build service reads from a tree (a Dockerfile, package.json, .dockerignore) is larger. */
export const MAX_SOURCE_READ = 1024 * 1024;

/** A file of the tree as text, undefined when there is none; a way out is refused before any read. */
export const readSourceFile = (root: string, path: string, what = 'The file'): string | undefined => {
  const realPath = sourcePathInside(root, path, what);
  if (realPath === undefined) return undefined;
  const stats = statSync(realPath);
  if (!stats.isFile()) throw new BuildError(`${what} "${path}" is not a file; name a file inside the repository`);
  if (stats.size > MAX_SOURCE_READ) throw new BuildError(`${what} "${path}" is larger than ${MAX_SOURCE_READ / 1024 / 1024} MiB`);
  return readFileSync(realPath, 'utf8');
};
