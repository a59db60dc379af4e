import type { EncryptedSecret, ServiceSource } from '@slipway/proto';
import { SecretOpener } from '@slipway/secret-box';
import { mkdir, readFile, rm } from 'node:fs/promises';
import { statSync } from 'node:fs';
import { join, posix } from 'node:path';
import { BuildError } from './build-error';
import type { BuildOutcome } from './build-job';
import { publishImage, type BuildRun } from './build-run';
import { packBuildContext, readDockerignore, type ContextFile } from './build-context';
import { createBuildDirectory, slipwayDataDirectories } from './build-directories';
import { buildImage, untagImage } from './docker-image.adapter';
import { EXTRA_CA_CONTEXT_NAME, withExtraCa } from './extra-ca';
import { checkoutCommit } from './git-checkout.adapter';
import type { GitCredentialsInClear } from './git-source';
import { commitTag, localBuildTag, serviceRepository } from './image-reference';
import { readSourceFile, sourcePathInside } from './source-path.adapter';
import { sourceTreeAt } from './source-tree.adapter';
import { DOCKERFILE_PATH, detectStrategy, type DetectedStrategy } from './strategy-detection';
import { CADDYFILE, SOURCE_DIR } from './templates/generated-context';
import { nodeDockerfile } from './templates/node.dockerfile';
import { spaDockerfile } from './templates/spa.dockerfile';
import { staticSiteCaddyfile } from './templates/static-site.caddyfile';
import { staticDockerfile } from './templates/static.dockerfile';

type GitSource = Extract<ServiceSource, { kind: 'git' }>;

/** The name a rewritten user Dockerfile gets in the context; the daemon drops it after reading. */
const REWRITTEN_DOCKERFILE = '.slipway.Dockerfile';

/** The build service's own key opens git credentials (sealed for it by the gateway); read once. */
let key: SecretOpener | undefined;
const opener = () => (key ??= SecretOpener.forService('build'));

export const openCredentials = (credentials: GitSource['credentials']): GitCredentialsInClear | undefined => {
  if (!credentials) return undefined;
  const open = (secret: EncryptedSecret) => {
    try {
      return opener().open(secret);
    } catch {
      throw new BuildError("Could not decrypt the repository's credentials (were the build service's keys replaced?): set them again");
    }
  };
  return credentials.kind === 'token'
    ? { kind: 'token', token: open(credentials.token) }
    : { kind: 'deploy-key', privateKey: open(credentials.privateKey) };
};

interface ContextPlan {
  prefix: string;
  dockerfile: string;
  alwaysInclude: string[];
  extraFiles: ContextFile[];
}

const describe = (detected: DetectedStrategy): string => {
  switch (detected.strategy) {
    case 'dockerfile':
      return `Building with ${detected.dockerfilePath}`;
    case 'node':
      return `No Dockerfile: Node.js app (${detected.packageManager.name}${detected.hasBuildScript ? ', build script' : ''}, npm start)`;
    case 'spa':
      return `No Dockerfile: single-page app (${detected.packageManager.name} run build, output served by a static server)`;
    case 'static':
      return 'No Dockerfile: static site (index.html), served by a static server';
  }
};

/** What planContext works from: the tree, what detection found in it, its .dockerignore. */
interface SourceFacts {
  sourceDir: string;
  detected: DetectedStrategy;
  dockerignore: string | undefined;
}

/**
 * A user's Dockerfile builds the repository root as it is. Generated Dockerfiles get the
 * repository under SOURCE_DIR with Slipway's files beside it. With an extra CA bundle, every
 * stage starts by trusting it (extra-ca.ts says why this way).
 */
const planContext = (run: BuildRun, { sourceDir, detected, dockerignore }: SourceFacts, extraCa: Buffer | undefined): ContextPlan => {
  const { baseImages } = run.config;
  const ca = (dockerfile: string) => (extraCa ? withExtraCa(dockerfile) : dockerfile);
  const caFiles: ContextFile[] = extraCa ? [{ name: EXTRA_CA_CONTEXT_NAME, content: extraCa }] : [];
  switch (detected.strategy) {
    case 'dockerfile': {
      const alwaysInclude = [detected.dockerfilePath, '.dockerignore'];
      if (!extraCa) return { prefix: '', dockerfile: detected.dockerfilePath, alwaysInclude, extraFiles: [] };
      // Read inside the tree only: the Engine echoes a line it cannot parse in its error.
      const original = readSourceFile(sourceDir, detected.dockerfilePath, DOCKERFILE_PATH);
      if (original === undefined) throw new BuildError(`${DOCKERFILE_PATH} "${detected.dockerfilePath}" names no file in the repository`);
      // The daemon removes from the context what .dockerignore lists among the Dockerfile and
      // itself, after reading them: so neither of Slipway's additions reaches a `COPY . .`.
      const ignoreOurs = dockerignore === undefined ? `${REWRITTEN_DOCKERFILE}\n.dockerignore\n` : `${dockerignore}\n${REWRITTEN_DOCKERFILE}\n`;
      return {
        prefix: '',
        dockerfile: REWRITTEN_DOCKERFILE,
        alwaysInclude,
        extraFiles: [
          { name: REWRITTEN_DOCKERFILE, content: ca(original) },
          { name: '.dockerignore', content: ignoreOurs },
          ...caFiles,
        ],
      };
    }
    case 'node':
      return {
        prefix: SOURCE_DIR,
        dockerfile: 'Dockerfile',
        alwaysInclude: [],
        extraFiles: [{ name: 'Dockerfile', content: ca(nodeDockerfile({ baseImage: baseImages.node, ...detected })) }, ...caFiles],
      };
    case 'spa':
      return {
        prefix: SOURCE_DIR,
        dockerfile: 'Dockerfile',
        alwaysInclude: [],
        extraFiles: [
          { name: 'Dockerfile', content: ca(spaDockerfile({ nodeImage: baseImages.node, staticImage: baseImages.static, ...detected })) },
          { name: CADDYFILE, content: staticSiteCaddyfile({ singlePageApp: true }) },
          ...caFiles,
        ],
      };
    case 'static':
      return {
        prefix: SOURCE_DIR,
        dockerfile: 'Dockerfile',
        alwaysInclude: [],
        extraFiles: [
          { name: 'Dockerfile', content: ca(staticDockerfile({ staticImage: baseImages.static })) },
          { name: CADDYFILE, content: staticSiteCaddyfile({ singlePageApp: false }) },
          ...caFiles,
        ],
      };
  }
};

const readExtraCa = async (run: BuildRun): Promise<Buffer | undefined> => {
  const file = run.config.extraCaFile;
  if (!file) return undefined;
  try {
    return await readFile(file);
  } catch (err) {
    run.log.system(`Extra CA bundle ${file} is unreadable (${(err as Error).message}): building without it`);
    return undefined;
  }
};

/** Clone (from the cache), detect, build, push: an image tagged by commit. */
export const buildFromGit = async (run: BuildRun, source: GitSource): Promise<BuildOutcome> => {
  const { config, log } = run;
  const sourceDir = await createSourceDirectory(run);
  const credentials = openCredentials(source.credentials);
  const { commitSha, committedAt } = await checkoutCommit({
    url: source.url,
    ref: source.ref,
    ...(credentials ? { credentials } : {}),
    // Per project: one project's build never reads what another's fetched (nor its cache by file://).
    cacheDir: join(config.dataDir, 'git'),
    cacheScope: run.job.projectName,
    protectedDirs: slipwayDataDirectories(config),
    targetDir: sourceDir,
    knownHostsFile: join(config.dataDir, 'ssh', 'known_hosts'),
    signal: run.signal,
    log,
  });
  return buildFromDirectory(run, sourceDir, commitSha, committedAt);
};

/** A fresh build directory with an empty source/ in it, removed when the build ends. */
export const createSourceDirectory = async (run: BuildRun): Promise<string> => {
  const workDir = await createBuildDirectory(run.config.dataDir, run.job.buildId, Math.max(2 * run.config.timeoutMs, 3_600_000));
  run.cleanUp.add('the build directory', () => rm(workDir, { recursive: true, force: true }));
  const sourceDir = join(workDir, 'source');
  await mkdir(sourceDir);
  return sourceDir;
};

/**
 * Where the build starts (Compose `build.context`: a folder of the repository, the root when
 * absent) and the Dockerfile's path from there; the Dockerfile must be inside the context, as
 * the Engine reads it from the context it is sent.
 */
export const contextOf = (sourceDir: string, job: Pick<BuildRun['job'], 'context' | 'dockerfilePath'>): { dir: string; dockerfilePath: string } => {
  const context = posix.normalize((job.context ?? '.').replace(/\\/g, '/')).replace(/\/+$/, '') || '.';
  if (context === '.') return { dir: sourceDir, dockerfilePath: job.dockerfilePath };
  const dir = sourcePathInside(sourceDir, context, 'The build context');
  if (dir === undefined || !statSync(dir).isDirectory()) throw new BuildError(`The build context "${context}" is not a folder of the repository; check build.context`);
  const dockerfilePath = posix.relative(context, posix.normalize(job.dockerfilePath.replace(/\\/g, '/')));
  if (dockerfilePath.startsWith('../')) {
    throw new BuildError(`The Dockerfile "${job.dockerfilePath}" is outside the build context "${context}"; move it into the context folder`);
  }
  return { dir, dockerfilePath };
};

/** Detect, build, push the source tree in `sourceDir`: an image tagged by `commitSha`. */
export const buildFromDirectory = async (run: BuildRun, repositoryDir: string, commitSha: string, committedAt: Date): Promise<BuildOutcome> => {
  const { job, config, docker, log } = run;
  const { dir: sourceDir, dockerfilePath } = contextOf(repositoryDir, job);
  if (sourceDir !== repositoryDir) log.system(`Build context: ${job.context}`);
  const detected = detectStrategy(sourceTreeAt(sourceDir), dockerfilePath, job.strategy);
  const dockerignore = readDockerignore(sourceDir);
  log.system(describe(detected));
  run.onStarted({ commitSha, strategy: detected.strategy });

  const extraCa = await readExtraCa(run);
  if (extraCa) log.system(`Trusting the extra CA certificates of ${config.extraCaFile} during the build`);
  const plan = planContext(run, { sourceDir, detected, dockerignore }, extraCa);
  const localTag = localBuildTag(job.projectName, job.serviceName, job.buildId);
  run.cleanUp.add(`the local tag ${localTag}`, () => untagImage(docker, localTag));
  const started = Date.now();
  await buildImage(docker, {
    context: packBuildContext({ sourceDir, dockerignore, prefix: plan.prefix, alwaysInclude: plan.alwaysInclude, extraFiles: plan.extraFiles, mtime: committedAt }),
    dockerfile: plan.dockerfile,
    tag: localTag,
    // The classic builder turns each label into a step of its own: two, the rest is in the name.
    labels: { 'com.slipway.commit': commitSha, 'com.slipway.strategy': detected.strategy },
    ...(job.args ? { buildArgs: job.args } : {}),
    limits: config.limits,
    signal: run.signal,
    log,
  });
  log.system(`Image built in ${((Date.now() - started) / 1000).toFixed(1)} s`);

  const repository = serviceRepository(config.registry, job.projectName, job.serviceName);
  const published = await publishImage(run, localTag, repository, commitTag(commitSha));
  return { ...published, commitSha, strategy: detected.strategy };
};
