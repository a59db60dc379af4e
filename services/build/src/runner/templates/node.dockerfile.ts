import type { PackageManagerPlan } from '../package-manager';
import { copySources, DEFAULT_PORT, generatedHeader } from './generated-context';

export interface NodeDockerfileInput {
  baseImage: string;
  packageManager: PackageManagerPlan;
  hasBuildScript: boolean;
  wholeTreeToInstall: boolean;
}

/**
 * A Node app with a `start` script: install (dev dependencies too, the build may need them),
 * build if there is a build script, run `npm start` as the image's unprivileged `node` user
 * (every official node image and our stand-in have it). NODE_ENV=production only at run time.
 */
export const nodeDockerfile = ({ baseImage, packageManager, hasBuildScript, wholeTreeToInstall }: NodeDockerfileInput): string =>
  [
    generatedHeader('node'),
    `FROM ${baseImage}`,
    ...(packageManager.setup ? [`RUN ${packageManager.setup}`] : []),
    'WORKDIR /app',
    'RUN chown node:node /app',
    'USER node',
    ...(wholeTreeToInstall
      ? [copySources('all', 'node:node'), `RUN ${packageManager.install}`]
      : [copySources(packageManager.manifests, 'node:node'), `RUN ${packageManager.install}`, copySources('all', 'node:node')]),
    ...(hasBuildScript ? [`RUN ${packageManager.run('build')}`] : []),
    `ENV NODE_ENV=production PORT=${DEFAULT_PORT}`,
    `EXPOSE ${DEFAULT_PORT}`,
    'CMD ["npm", "start"]',
    '',
  ].join('\n');
