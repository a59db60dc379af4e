import type { PackageManagerPlan } from '../package-manager';
import { copySources, generatedHeader } from './generated-context';
import { staticServerStage } from './static-server';

export interface SpaDockerfileInput {
  nodeImage: string;
  staticImage: string;
  packageManager: PackageManagerPlan;
  wholeTreeToInstall: boolean;
}

/** The first of these that the build produced is served (index.html inside preferred). */
export const SPA_OUTPUT_DIRS = ['dist', 'build', 'out'];

const pickOutputDir = [
  'RUN site=""; \\',
  `    for d in ${SPA_OUTPUT_DIRS.join(' ')}; do if [ -f "$d/index.html" ]; then site=$d; break; fi; done; \\`,
  `    if [ -z "$site" ]; then for d in ${SPA_OUTPUT_DIRS.join(' ')}; do if [ -d "$d" ]; then site=$d; break; fi; done; fi; \\`,
  `    if [ -z "$site" ]; then echo "The build script produced none of ${SPA_OUTPUT_DIRS.map((d) => `${d}/`).join(', ')}" >&2; exit 1; fi; \\`,
  '    echo "Serving $site/"; mv "$site" /tmp/slipway-site',
];

/** A single-page app: built in the Node image, its output served by the static server image. */
export const spaDockerfile = ({ nodeImage, staticImage, packageManager, wholeTreeToInstall }: SpaDockerfileInput): string =>
  [
    generatedHeader('spa'),
    `FROM ${nodeImage} AS build`,
    ...(packageManager.setup ? [`RUN ${packageManager.setup}`] : []),
    'WORKDIR /app',
    'RUN chown node:node /app',
    'USER node',
    ...(wholeTreeToInstall
      ? [copySources('all', 'node:node'), `RUN ${packageManager.install}`]
      : [copySources(packageManager.manifests, 'node:node'), `RUN ${packageManager.install}`, copySources('all', 'node:node')]),
    `RUN ${packageManager.run('build')}`,
    ...pickOutputDir,
    '',
    ...staticServerStage(staticImage, 'COPY --from=build /tmp/slipway-site /srv/'),
    '',
  ].join('\n');
