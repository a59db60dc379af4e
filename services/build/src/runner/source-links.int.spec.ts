import type { BuildStrategyChoice, ServiceSource } from '@slipway/proto';
import { infraEnv } from '@slipway/testing';
import Docker from 'dockerode';
import { execFileSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdirSync, mkdtempSync, readdirSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { BuildError } from './build-error';
import { buildConfigFromEnv } from './build-config';
import type { BuildConfig, BuildJob, BuildLogLine, BuildOutcome, BuildStrategy } from './build-job';
import { runBuild } from './run-build';
import { registryAuthHeader } from '@slipway/secret-box';

/**
 * Issue 10: a source tree must not make the build service read a file outside it through a
 * symbolic link (an archive with `etc -> /etc` and the Dockerfile path "etc/shadow" once put
 * /etc/shadow's first line in a build error). Real archives and git repositories, the real
 * Docker Engine and registry. The "host file" is one this test writes outside the tree, shaped
 * like /etc/shadow, so a leak shows as its marker; one case uses /etc itself, as in the issue.
 */
const env = infraEnv();
const run = randomBytes(3).toString('hex');
const project = `build-test-${run}`;
const docker = new Docker();
const registry = env.REGISTRY;
/** Lower case: the Engine upper-cases an unknown instruction when it echoes it. */
const marker = `leaked-${run}`;
const pushed: { repository: string; digest: string }[] = [];

let root: string;
let hostDir: string;
let config: BuildConfig;

type Entry = string | { link: string };

/** A source tree: files, and symbolic links written as given (absolute or relative). */
const tree = (name: string, entries: Record<string, Entry>): string => {
  const dir = join(root, 'trees', name);
  for (const [path, entry] of Object.entries(entries)) {
    mkdirSync(dirname(join(dir, path)), { recursive: true });
    if (typeof entry === 'string') writeFileSync(join(dir, path), entry);
    else symlinkSync(entry.link, join(dir, path));
  }
  return dir;
};

/** Uploads the tree as the gateway would store it: a tar.gz in the archives directory. */
const archiveOf = (dir: string): ServiceSource => {
  const archiveId = `archive-${randomBytes(4).toString('hex')}`;
  execFileSync('bsdtar', ['-c', '-z', '-f', join(config.archivesDir, archiveId), '-C', dir, '.']);
  return { kind: 'archive', archiveId };
};

const gitRepositoryOf = (dir: string): ServiceSource => {
  const git = (...args: string[]) => execFileSync('git', ['-c', 'user.email=test@slipway.local', '-c', 'user.name=test', ...args], { cwd: dir });
  git('init', '-q', '-b', 'main');
  git('add', '-A');
  git('commit', '-q', '-m', 'links');
  return { kind: 'git', url: dir, ref: 'main' };
};

interface Recorded {
  outcome?: BuildOutcome;
  error?: BuildError;
  lines: BuildLogLine[];
  started: { commitSha: string; strategy: BuildStrategy }[];
}

const build = async (
  service: string,
  source: ServiceSource,
  options: { dockerfilePath?: string; strategy?: BuildStrategyChoice; extraCa: boolean },
): Promise<Recorded> => {
  const job: BuildJob = {
    buildId: `${service}-${randomBytes(4).toString('hex')}`,
    deploymentId: 'd-1',
    projectName: project,
    serviceName: service,
    source,
    dockerfilePath: options.dockerfilePath ?? 'Dockerfile',
    ...(options.strategy ? { strategy: options.strategy } : {}),
  };
  const { extraCaFile, ...withoutCa } = config;
  const recorded: Recorded = { lines: [], started: [] };
  try {
    recorded.outcome = await runBuild(job, options.extraCa ? { ...withoutCa, extraCaFile } : withoutCa, {
      onLog: (line) => recorded.lines.push(line),
      onStarted: (info) => recorded.started.push(info),
    });
    pushed.push({ repository: `${project}/${service}`, digest: recorded.outcome.digest });
  } catch (err) {
    if (!(err instanceof BuildError)) throw err;
    recorded.error = err;
  }
  return recorded;
};

/** Everything a user sees of a build: its error, the last lines it carries, and the whole log. */
const seen = (recorded: Recorded): string =>
  [recorded.error?.reason ?? '', ...(recorded.error?.lastLogLines ?? []), ...recorded.lines.map((line) => line.message)].join('\n').toLowerCase();

/** Refused before Docker was asked for anything, with no byte of the host file in sight. */
const expectRefused = async (recorded: Recorded, reason: string) => {
  expect(recorded.outcome).toBeUndefined();
  expect(recorded.error?.reason).toBe(reason);
  expect(seen(recorded)).not.toContain(marker);
  expect(recorded.started).toEqual([]);
  expect(readdirSync(join(config.dataDir, 'contexts'))).toEqual([]);
};

beforeAll(() => {
  root = mkdtempSync(join(tmpdir(), `${project}-`));
  hostDir = join(root, 'host');
  mkdirSync(hostDir);
  // Like /etc/shadow: the first word of its first line is what the Engine would echo.
  writeFileSync(join(hostDir, 'shadow'), `root:${marker}:20228:0:99999:7:::\ndaemon:*:20228:0:99999:7:::\n`);
  writeFileSync(join(hostDir, 'package.json'), JSON.stringify({ name: marker, scripts: { start: `echo ${marker}` } }));
  writeFileSync(join(hostDir, 'dockerignore'), `${marker}\n`);
  writeFileSync(join(root, 'extra-ca.crt'), '# an extra CA bundle (test): copied into the image, trusted by nothing here\n');
  mkdirSync(join(root, 'archives'));
  config = {
    ...buildConfigFromEnv({ ...process.env, ...env }),
    dataDir: join(root, 'data'),
    archivesDir: join(root, 'archives'),
    extraCaFile: join(root, 'extra-ca.crt'),
    timeoutMs: 3 * 60_000,
  };
});

afterAll(async () => {
  const mine = await docker.listImages({ filters: { reference: [`${registry}/${project}/*`, `${project}/*`] } });
  for (const image of mine) await docker.getImage(image.Id).remove({ force: true }).catch(() => undefined);
  for (const { repository, digest } of pushed) {
    await fetch(`http://${registry}/v2/${repository}/manifests/${digest}`, { method: 'DELETE', headers: registryAuthHeader('build') }).catch(() => undefined);
  }
  rmSync(root, { recursive: true, force: true });
});

describe('security: source paths that lead out of the tree through a link', () => {
  it('refuses a Dockerfile path through a directory link (an archive with etc -> /etc, "etc/shadow", as in the issue)', async () => {
    const source = archiveOf(tree('etc-link', { etc: { link: '/etc' }, 'index.html': 'hello' }));
    for (const extraCa of [false, true]) {
      const result = await build('etc-link', source, { dockerfilePath: 'etc/shadow', extraCa });
      await expectRefused(result, 'Dockerfile path "etc/shadow" leads outside the repository (through the link "etc"); use a file inside it');
      expect(seen(result)).not.toMatch(/root:|unknown instruction/);
    }
  });

  it('refuses the extra-CA rewrite of a Dockerfile read through a directory link: the file is never read, so the Engine cannot echo it', async () => {
    const source = archiveOf(tree('ca-rewrite', { config: { link: hostDir }, 'index.html': 'hello' }));
    const result = await build('ca-rewrite', source, { dockerfilePath: 'config/shadow', extraCa: true });
    await expectRefused(result, 'Dockerfile path "config/shadow" leads outside the repository (through the link "config"); use a file inside it');
    expect(seen(result)).not.toContain('unknown instruction');
  });

  it('refuses a Dockerfile that is itself a link to a host file, even when another strategy would apply', async () => {
    const source = gitRepositoryOf(tree('dockerfile-link', { Dockerfile: { link: join(hostDir, 'shadow') }, 'index.html': 'hello' }));
    const result = await build('dockerfile-link', source, { extraCa: true });
    await expectRefused(result, 'Dockerfile path "Dockerfile" is a link that leads outside the repository; use a file inside it');
  });

  it('refuses a detection file (package.json) that is a link to a host file', async () => {
    const source = gitRepositoryOf(tree('package-link', { 'package.json': { link: join(hostDir, 'package.json') }, 'server.js': '' }));
    const result = await build('package-link', source, { extraCa: false });
    await expectRefused(result, 'The file "package.json" is a link that leads outside the repository; use a file inside it');
  });

  it('refuses a .dockerignore that is a link to a host file (the extra-CA rewrite would copy it into the context)', async () => {
    const source = gitRepositoryOf(
      tree('dockerignore-link', {
        Dockerfile: `FROM ${config.baseImages.node}\nCOPY . /src\nRUN cat /src/.dockerignore\n`,
        '.dockerignore': { link: join(hostDir, 'dockerignore') },
      }),
    );
    const result = await build('dockerignore-link', source, { extraCa: true });
    await expectRefused(result, 'The file ".dockerignore" is a link that leads outside the repository; use a file inside it');
  });

  it('follows links that stay inside the tree: the Dockerfile, a directory it copies from, .dockerignore, index.html', async () => {
    const dir = tree('inside-links', {
      'docker/app.Dockerfile': `FROM ${config.baseImages.node}\nCOPY conf/greeting.txt /greeting.txt\nCOPY . /src\nRUN cat /greeting.txt && test -L /src/conf && test ! -e /src/drafts\n`,
      'docker/greeting.txt': `hello ${run}`,
      'docker/ignore': 'drafts\n',
      'drafts/x.txt': 'draft',
      Dockerfile: { link: 'docker/app.Dockerfile' },
      conf: { link: 'docker' },
      '.dockerignore': { link: './docker/../docker/ignore' },
    });
    const result = await build('inside-links', gitRepositoryOf(dir), { extraCa: true });
    expect(result.error).toBeUndefined();
    expect(result.outcome?.strategy).toBe('dockerfile');
    const log = result.lines.map((line) => line.message).join('\n');
    expect(log).toContain(`hello ${run}`);
    expect(log).toContain('COPY .slipway-extra-ca.crt'); // the rewrite read the Dockerfile through its link

    const site = tree('inside-index', { 'pages/home.html': 'home', 'index.html': { link: 'pages/home.html' } });
    const detected = await build('inside-index', archiveOf(site), { extraCa: false });
    expect(detected.error).toBeUndefined();
    expect(detected.outcome?.strategy).toBe('static');
  }, 120_000);

  it('sends links the service never reads as links: the Engine resolves them inside the context, so a COPY through one finds nothing', async () => {
    const source = gitRepositoryOf(
      tree('copy-through-link', { Dockerfile: `FROM ${config.baseImages.node}\nCOPY host/shadow /leak\n`, host: { link: hostDir } }),
    );
    const result = await build('copy-through-link', source, { extraCa: false });
    expect(result.outcome).toBeUndefined();
    expect(result.error?.reason).toMatch(/^Step 2\/\d+ COPY host\/shadow \/leak failed: COPY failed: file not found in build context/);
    expect(seen(result)).not.toContain(marker);
  }, 60_000);
});
