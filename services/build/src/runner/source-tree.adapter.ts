import { statSync } from 'node:fs';
import { BuildError } from './build-error';
import { readSourceFile, sourcePathInside } from './source-path.adapter';
import type { SourceTree } from './strategy-detection';

/**
 * A checked-out tree on disk. Links are followed while they stay inside it; one that leads out
 * (a package.json linked to /etc/passwd) is refused with an error, never read or stat'ed there.
 */
export const sourceTreeAt = (root: string): SourceTree => {
  const stat = (path: string, what?: string) => {
    const realPath = sourcePathInside(root, path, what);
    return realPath === undefined ? undefined : statSync(realPath);
  };
  return {
    isFile: (path, what) => stat(path, what)?.isFile() ?? false,
    isDirectory: (path, what) => stat(path, what)?.isDirectory() ?? false,
    read: (path, what = 'The file') => {
      const content = readSourceFile(root, path, what);
      if (content === undefined) throw new BuildError(`${what} "${path}" does not exist`);
      return content;
    },
  };
};
