import { posix } from 'node:path';
import { BuildError } from './build-error';
import { planPackageManager, needsWholeTreeToInstall, type PackageJson, type PackageManagerPlan } from './package-manager';

/** Read access to a checked-out source tree (paths are relative, with '/'). */
export interface SourceTree {
  isFile(path: string): boolean;
  isDirectory(path: string): boolean;
  read(path: string): string;
}

export type DetectedStrategy =
  | { strategy: 'dockerfile'; dockerfilePath: string }
  | { strategy: 'node'; packageManager: PackageManagerPlan; hasBuildScript: boolean; wholeTreeToInstall: boolean }
  | { strategy: 'spa'; packageManager: PackageManagerPlan; wholeTreeToInstall: boolean }
  | { strategy: 'static' };

/** A repository-relative path that stays inside the repository, or a BuildError. */
export const normaliseDockerfilePath = (dockerfilePath: string): string => {
  const normalised = posix.normalize(dockerfilePath.replace(/\\/g, '/').replace(/^\/+/, ''));
  if (normalised === '..' || normalised.startsWith('../') || normalised === '.' || normalised === '') {
    throw new BuildError(`Dockerfile path "${dockerfilePath}" must name a file inside the repository`);
  }
  return normalised;
};

const readPackageJson = (tree: SourceTree): PackageJson | undefined => {
  if (!tree.isFile('package.json')) return undefined;
  try {
    const parsed: unknown = JSON.parse(tree.read('package.json'));
    if (parsed === null || typeof parsed !== 'object' || Array.isArray(parsed)) throw new Error('not an object');
    return parsed as PackageJson;
  } catch (err) {
    throw new BuildError(`package.json is not valid JSON: ${(err as Error).message}`);
  }
};

/**
 * A Dockerfile wins; then a Node app (a `start` script, or a server.js that `npm start` runs by
 * default); then a single-page app (a `build` script and nothing to start); then a static site.
 */
export const detectStrategy = (tree: SourceTree, dockerfilePath: string): DetectedStrategy => {
  const dockerfile = normaliseDockerfilePath(dockerfilePath);
  if (tree.isFile(dockerfile)) return { strategy: 'dockerfile', dockerfilePath: dockerfile };
  const packageJson = readPackageJson(tree);
  if (packageJson) {
    const has = (file: string) => tree.isFile(file);
    const scripts = packageJson.scripts ?? {};
    const packageManager = planPackageManager(has, packageJson);
    const wholeTreeToInstall = needsWholeTreeToInstall(has, packageJson);
    if (scripts.start !== undefined || tree.isFile('server.js')) {
      return { strategy: 'node', packageManager, hasBuildScript: scripts.build !== undefined, wholeTreeToInstall };
    }
    if (scripts.build !== undefined) return { strategy: 'spa', packageManager, wholeTreeToInstall };
  }
  if (tree.isFile('index.html')) return { strategy: 'static' };
  throw new BuildError(
    `Nothing to build: no Dockerfile at "${dockerfile}", no package.json with a "start" or "build" script, no index.html at the repository root`,
  );
};
