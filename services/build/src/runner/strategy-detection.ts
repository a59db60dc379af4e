import { posix } from 'node:path';
import type { BuildStrategyChoice } from '@slipway/proto';
import { BuildError } from './build-error';
import { planPackageManager, needsWholeTreeToInstall, type PackageJson, type PackageManagerPlan } from './package-manager';

/**
 * Read access to a checked-out source tree (paths are relative, with '/'). A path that leads out
 * of the tree (through a link) throws a BuildError naming it as `what` ('Dockerfile path').
 */
export interface SourceTree {
  isFile(path: string, what?: string): boolean;
  isDirectory(path: string, what?: string): boolean;
  read(path: string, what?: string): string;
}

/** How a user's Dockerfile path is named in an error. */
export const DOCKERFILE_PATH = 'Dockerfile path';

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

const nodeApp = (tree: SourceTree, packageJson: PackageJson) => {
  const has = (file: string) => tree.isFile(file);
  const scripts = packageJson.scripts ?? {};
  return {
    packageManager: planPackageManager(has, packageJson),
    wholeTreeToInstall: needsWholeTreeToInstall(has, packageJson),
    startable: scripts.start !== undefined || tree.isFile('server.js'),
    hasBuildScript: scripts.build !== undefined,
  };
};

/** The strategy the service's settings name, checked against the tree so a wrong choice fails with a reason. */
const chosenStrategy = (tree: SourceTree, dockerfile: string, chosen: Exclude<BuildStrategyChoice, 'auto'>): DetectedStrategy => {
  const refuse = (why: string) => new BuildError(`The service is set to build as "${chosen}", but ${why}`);
  if (chosen === 'dockerfile') {
    if (!tree.isFile(dockerfile, DOCKERFILE_PATH)) throw refuse(`there is no Dockerfile at "${dockerfile}"`);
    return { strategy: 'dockerfile', dockerfilePath: dockerfile };
  }
  if (chosen === 'static') {
    if (!tree.isFile('index.html')) throw refuse('there is no index.html at the repository root');
    return { strategy: 'static' };
  }
  const packageJson = readPackageJson(tree);
  if (!packageJson) throw refuse('there is no package.json at the repository root');
  const app = nodeApp(tree, packageJson);
  if (chosen === 'node') {
    if (!app.startable) throw refuse('package.json has no "start" script and there is no server.js');
    return { strategy: 'node', packageManager: app.packageManager, hasBuildScript: app.hasBuildScript, wholeTreeToInstall: app.wholeTreeToInstall };
  }
  if (!app.hasBuildScript) throw refuse('package.json has no "build" script');
  return { strategy: 'spa', packageManager: app.packageManager, wholeTreeToInstall: app.wholeTreeToInstall };
};

/**
 * A Dockerfile wins; then a Node app (a `start` script, or a server.js that `npm start` runs by
 * default); then a single-page app (a `build` script and nothing to start); then a static site.
 * A strategy chosen in the service's settings skips the detection.
 */
export const detectStrategy = (tree: SourceTree, dockerfilePath: string, chosen: BuildStrategyChoice = 'auto'): DetectedStrategy => {
  const dockerfile = normaliseDockerfilePath(dockerfilePath);
  if (chosen !== 'auto') return chosenStrategy(tree, dockerfile, chosen);
  if (tree.isFile(dockerfile, DOCKERFILE_PATH)) return { strategy: 'dockerfile', dockerfilePath: dockerfile };
  const packageJson = readPackageJson(tree);
  if (packageJson) {
    const app = nodeApp(tree, packageJson);
    if (app.startable) {
      return { strategy: 'node', packageManager: app.packageManager, hasBuildScript: app.hasBuildScript, wholeTreeToInstall: app.wholeTreeToInstall };
    }
    if (app.hasBuildScript) return { strategy: 'spa', packageManager: app.packageManager, wholeTreeToInstall: app.wholeTreeToInstall };
  }
  if (tree.isFile('index.html')) return { strategy: 'static' };
  throw new BuildError(
    `Nothing to build: no Dockerfile at "${dockerfile}", no package.json with a "start" or "build" script, no index.html at the repository root`,
  );
};
