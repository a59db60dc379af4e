import { realpath } from 'node:fs/promises';
import { basename, dirname, isAbsolute, join, relative, resolve } from 'node:path';
import { BuildError } from './build-error';
import { localPathOf, redactUrl } from './git-source';

/** The real path of `path`: symlinks in its existing part resolved, the part that does not exist (yet) kept. */
const realPathOf = async (path: string): Promise<string> => {
  const missing: string[] = [];
  for (let head = resolve(path); ; head = dirname(head)) {
    try {
      return join(await realpath(head), ...missing.reverse());
    } catch {
      if (dirname(head) === head) return resolve(path);
      missing.push(basename(head));
    }
  }
};

const isInside = (path: string, root: string) => {
  const rel = relative(root, path);
  return rel === '' || (!rel.startsWith('..') && !isAbsolute(rel));
};

/**
 * A local source inside Slipway's data directory would build its caches (another project's code)
 * or its secrets: refused for everyone, however the path is spelt (escapes, "..", symlinks).
 */
export const refuseProtectedLocalSource = async (url: string, protectedDirs: readonly string[]): Promise<void> => {
  const path = localPathOf(url);
  if (path === undefined) return;
  const candidates = new Set([resolve(path), await realPathOf(path)]);
  for (const dir of protectedDirs) {
    const roots = new Set([resolve(dir), await realPathOf(dir)]);
    if ([...candidates].some((candidate) => [...roots].some((root) => isInside(candidate, root)))) {
      throw new BuildError(
        `Git source ${redactUrl(url)} is inside Slipway's data directory (${resolve(dir)}), which holds every project's build caches: ` +
          'build from the repository itself (its own path outside that directory, or its https:// or ssh URL)',
      );
    }
  }
};
