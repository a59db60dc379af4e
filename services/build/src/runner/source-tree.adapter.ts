import { lstatSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import type { SourceTree } from './strategy-detection';

const MAX_READ = 1024 * 1024;

/**
 * A checked-out tree on disk. Symbolic links do not count as files here: a repository must not
 * make the build service read something outside it (a package.json linked to /etc/passwd).
 */
export const sourceTreeAt = (root: string): SourceTree => {
  const inside = (path: string) => {
    const absolute = join(root, path);
    if (relative(root, absolute).startsWith('..')) throw new Error(`${path} is outside the source tree`);
    return absolute;
  };
  const stat = (path: string) => {
    try {
      return lstatSync(inside(path));
    } catch {
      return undefined;
    }
  };
  return {
    isFile: (path) => stat(path)?.isFile() ?? false,
    isDirectory: (path) => stat(path)?.isDirectory() ?? false,
    read: (path) => {
      const stats = stat(path);
      if (!stats?.isFile()) throw new Error(`${path} is not a file`);
      if (stats.size > MAX_READ) throw new Error(`${path} is larger than ${MAX_READ} bytes`);
      return readFileSync(inside(path), 'utf8');
    },
  };
};
