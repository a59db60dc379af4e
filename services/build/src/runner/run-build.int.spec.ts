import { infraEnv, waitUntil } from '@slipway/testing';
import Docker from 'dockerode';
import { execFileSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { BuildError } from './build-error';
import { buildConfigFromEnv } from './build-config';
import type { BuildConfig, BuildJob, BuildLogLine, BuildOutcome, BuildStrategy } from './build-job';
import { runBuild } from './run-build';
import { registryAuthHeader } from '@slipway/secret-box';

/**
 * The build runner against the real Docker Engine and local registry (infra/scripts/up.sh), with
 * git repositories this test creates. Everything it makes is named build-test-<run id> and
 * removed at the end: images, registry manifests, containers, directories.
 */
const env = infraEnv();
const run = randomBytes(3).toString('hex');
const project = `build-test-${run}`;
const docker = new Docker();
const registry = env.REGISTRY;
const timings: Record<string, number> = {};
const pushed: { repository: string; digest: string }[] = [];

let root: string;
let config: BuildConfig;

const git = (cwd: string, ...args: string[]) =>
  execFileSync('git', ['-c', 'user.email=test@slipway.local', '-c', 'user.name=test', ...args], { cwd, encoding: 'utf8' }).trim();

/** A git repository holding `files`, committed on main; returns its path and head commit. */
const repository = (name: string, files: Record<string, string>): { url: string; head: string } => {
  const dir = join(root, 'repos', name);
  for (const [path, content] of Object.entries(files)) {
    mkdirSync(dirname(join(dir, path)), { recursive: true });
    writeFileSync(join(dir, path), content);
  }
  if (!existsSync(join(dir, '.git'))) git(dir, 'init', '-q', '-b', 'main');
  git(dir, 'add', '-A');
  git(dir, 'commit', '-q', '-m', `commit ${Date.now()}`);
  return { url: dir, head: git(dir, 'rev-parse', 'HEAD') };
};

interface Recorded {
  outcome?: BuildOutcome;
  error?: BuildError;
  lines: BuildLogLine[];
  started: { commitSha: string; strategy: BuildStrategy }[];
  seconds: number;
}

const build = async (service: string, url: string, options: { ref?: string; signal?: AbortSignal; config?: Partial<BuildConfig>; onLog?: (line: BuildLogLine) => void } = {}): Promise<Recorded> => {
  const job: BuildJob = {
    buildId: `${service}-${randomBytes(4).toString('hex')}`,
    deploymentId: 'd-1',
    projectName: project,
    serviceName: service,
    source: { kind: 'git', url, ref: options.ref ?? 'main' },
    dockerfilePath: 'Dockerfile',
  };
  return record(job, options);
};

const record = async (job: BuildJob, options: { signal?: AbortSignal; config?: Partial<BuildConfig>; onLog?: (line: BuildLogLine) => void } = {}): Promise<Recorded> => {
  const recorded: Recorded = { lines: [], started: [], seconds: 0 };
  const t0 = Date.now();
  try {
    recorded.outcome = await runBuild(job, { ...config, ...options.config }, {
      onLog: (line) => {
        recorded.lines.push(line);
        options.onLog?.(line);
      },
      onStarted: (info) => recorded.started.push(info),
      ...(options.signal ? { signal: options.signal } : {}),
    });
    pushed.push({ repository: `${job.projectName}/${job.serviceName}`, digest: recorded.outcome.digest });
  } catch (err) {
    if (!(err instanceof BuildError)) throw err;
    recorded.error = err;
  }
  recorded.seconds = (Date.now() - t0) / 1000;
  return recorded;
};

const text = (recorded: Recorded) => recorded.lines.map((line) => line.message).join('\n');

/** Runs the image for a moment and returns what GET path answers on its port. */
const httpGet = async (imageRef: string, port: number, paths: string[]): Promise<{ status: number; body: string }[]> => {
  const container = await docker.createContainer({
    name: `${project}-run-${randomBytes(3).toString('hex')}`,
    Image: imageRef,
    ExposedPorts: { [`${port}/tcp`]: {} },
    HostConfig: { PortBindings: { [`${port}/tcp`]: [{ HostIp: '127.0.0.1', HostPort: '' }] }, Memory: 256 * 1024 * 1024 },
  });
  try {
    await container.start();
    const info = await container.inspect();
    const hostPort = info.NetworkSettings.Ports[`${port}/tcp`]?.[0]?.HostPort;
    const answers: { status: number; body: string }[] = [];
    await waitUntil(`${imageRef} to answer`, async () => (await fetch(`http://127.0.0.1:${hostPort}/`)).status > 0, 15_000, 200);
    for (const path of paths) {
      const response = await fetch(`http://127.0.0.1:${hostPort}${path}`);
      answers.push({ status: response.status, body: (await response.text()).trim() });
    }
    return answers;
  } finally {
    await container.remove({ force: true });
  }
};

const registryDigest = async (repositoryName: string, tag: string): Promise<string | null> => {
  const response = await fetch(`http://${registry}/v2/${repositoryName}/manifests/${tag}`, {
    method: 'HEAD',
    headers: { Accept: 'application/vnd.docker.distribution.manifest.v2+json', ...registryAuthHeader('build') },
  });
  return response.ok ? response.headers.get('docker-content-digest') : null;
};

/** Build containers still around whose command carries `marker`. */
const containersRunning = async (marker: string) =>
  (await docker.listContainers({ all: true })).filter((container) => container.Command.includes(marker));

const pkg = (scripts: Record<string, string>, extra: object = {}) =>
  JSON.stringify({ name: 'app', version: '1.0.0', description: `build test ${run}`, private: true, scripts, ...extra }, null, 2);

/** One small real dependency (ms: no dependencies of its own), installed from the npm registry. */
const withMs = {
  dependencies: { ms: '2.1.3' },
};
const msLockfile = JSON.stringify({
  name: 'app',
  version: '1.0.0',
  lockfileVersion: 3,
  requires: true,
  packages: {
    '': { name: 'app', version: '1.0.0', dependencies: { ms: '2.1.3' } },
    'node_modules/ms': {
      version: '2.1.3',
      resolved: 'https://registry.npmjs.org/ms/-/ms-2.1.3.tgz',
      integrity: 'sha512-6FlzubTLZG3J2a/NVCAleEhjzq5oxgHyaCU9yYXvcLsvoVaHJq/s5xXI6/XXP6tz7R9xAOtHnSO/tXtF3WRTlA==',
      license: 'MIT',
    },
  },
});
const msServer = (version: string) => `const http = require('http');
const ms = require('ms');
http.createServer((req, res) => res.end('${version} ' + ms('2 days') + ' ' + (process.env.NODE_EXTRA_CA_CERTS ? 'ca' : 'no-ca'))).listen(Number(process.env.PORT || 3000));
`;

beforeAll(async () => {
  root = mkdtempSync(join(tmpdir(), `${project}-`));
  config = { ...buildConfigFromEnv({ ...process.env, ...env }), dataDir: join(root, 'data'), timeoutMs: 5 * 60_000 };
  for (const image of Object.values(config.baseImages)) {
    await docker
      .getImage(image)
      .inspect()
      .catch(() => {
        throw new Error(`Base image ${image} is missing: run bash infra/scripts/images.sh`);
      });
  }
});

afterAll(async () => {
  const mine = await docker.listImages({ filters: { reference: [`${registry}/${project}/*`, `${project}/*`, `${project}-*/*`] } });
  for (const image of mine) await docker.getImage(image.Id).remove({ force: true }).catch(() => undefined);
  for (const { repository: name, digest } of pushed) {
    await fetch(`http://${registry}/v2/${name}/manifests/${digest}`, { method: 'DELETE', headers: registryAuthHeader('build') }).catch(() => undefined);
  }
  for (const container of await docker.listContainers({ all: true, filters: { name: [project] } })) {
    await docker.getContainer(container.Id).remove({ force: true }).catch(() => undefined);
  }
  rmSync(root, { recursive: true, force: true });
  console.log(`build runner timings (s): ${JSON.stringify(timings)}`);
});

/** After every build: no build directory and no local build tag left behind. */
const expectNothingLeftBehind = async () => {
  expect(readdirSync(join(config.dataDir, 'contexts'))).toEqual([]);
  expect(await docker.listImages({ filters: { reference: [`${project}/*`] } })).toEqual([]);
};

describe('build runner', () => {
  it('builds a Node app with its own unmodified Dockerfile (npm ci through the TLS proxy), pushes it by commit, and it runs', async () => {
    const { url, head } = repository('node-dockerfile', {
      Dockerfile: `FROM ${config.baseImages.node}\nWORKDIR /app\nCOPY package*.json ./\nRUN npm ci\nCOPY . .\nEXPOSE 3000\nCMD ["node", "server.js"]\n`,
      // whitelist style: everything else is left out (the Dockerfile too, which is still used)
      '.dockerignore': '*\n!package.json\n!package-lock.json\n!server.js\n',
      'package.json': pkg({}, withMs),
      'package-lock.json': msLockfile,
      'server.js': msServer('dockerfile'),
    });
    const result = await build('node-dockerfile', url);
    timings.dockerfile = result.seconds;
    expect(result.error).toBeUndefined();
    expect(result.outcome).toEqual({
      imageRef: `${registry}/${project}/node-dockerfile:${head.slice(0, 12)}`,
      digest: expect.stringMatching(/^sha256:[0-9a-f]{64}$/),
      commitSha: head,
      strategy: 'dockerfile',
    });
    expect(result.started).toEqual([{ commitSha: head, strategy: 'dockerfile' }]);
    // onStarted came before the build's first line, and the lines came as the build ran
    expect(text(result)).toMatch(/Step 1\/\d+ : FROM/);
    expect(result.lines.filter((line) => line.stream === 'stdout').length).toBeGreaterThan(10);
    expect(text(result)).toContain('added 1 package');
    expect(await registryDigest(`${project}/node-dockerfile`, head.slice(0, 12))).toBe(result.outcome?.digest);
    expect(await httpGet(result.outcome!.imageRef, 3000, ['/'])).toEqual([{ status: 200, body: 'dockerfile 172800000 ca' }]);
    await expectNothingLeftBehind();
  }, 180_000);

  it('detects a Node app without a Dockerfile, installs its dependency with npm ci, runs it as node; an unchanged rebuild hits the cache', async () => {
    const { url, head } = repository('node-detected', {
      'package.json': pkg({ start: 'node server.js' }, withMs),
      'package-lock.json': msLockfile,
      'server.js': msServer('v1'),
    });
    const first = await build('node-detected', url);
    timings.node = first.seconds;
    expect(first.error).toBeUndefined();
    expect(first.outcome).toMatchObject({ strategy: 'node', commitSha: head });
    expect(text(first)).toContain('RUN npm ci');
    expect(text(first)).toContain('added 1 package');
    const image = await docker.getImage(first.outcome!.imageRef).inspect();
    expect(image.Config.User).toBe('node');
    expect(image.Config.Env).toEqual(expect.arrayContaining(['NODE_ENV=production', 'PORT=3000']));
    expect(await httpGet(first.outcome!.imageRef, 3000, ['/'])).toEqual([{ status: 200, body: 'v1 172800000 ca' }]);

    const again = await build('node-detected', url);
    timings.nodeCachedRebuild = again.seconds;
    timings.cachedToFirstRatio = Number((again.seconds / first.seconds).toFixed(3));
    expect(again.outcome).toEqual(first.outcome); // same commit, same layers: the very same digest
    expect(text(again)).not.toContain('added 1 package');
    expect(text(again)).toMatch(/RUN npm ci --no-audit --no-fund\n ---> Using cache/);
    expect(again.seconds / first.seconds).toBeLessThan(0.5);

    // A source-only change: only the layers after the install are rebuilt.
    const changed = repository('node-detected', { 'server.js': msServer('v2') });
    const third = await build('node-detected', url);
    timings.nodeSourceChange = third.seconds;
    expect(third.outcome?.commitSha).toBe(changed.head);
    expect(text(third)).toMatch(/RUN npm ci --no-audit --no-fund\n ---> Using cache/);
    expect(await httpGet(third.outcome!.imageRef, 3000, ['/'])).toEqual([{ status: 200, body: 'v2 172800000 ca' }]);
    await expectNothingLeftBehind();
  }, 240_000);

  it('builds a single-page app and serves its output with an index.html fallback', async () => {
    const { url, head } = repository('spa', {
      'package.json': pkg({ build: 'node build.js' }),
      'build.js': `const fs = require('fs');\nfs.mkdirSync('dist/assets', { recursive: true });\nfs.writeFileSync('dist/index.html', '<h1>spa ${run}</h1>');\nfs.writeFileSync('dist/assets/app.js', 'console.log(1)');\n`,
      'src/main.js': 'console.log("source, not served")',
    });
    const result = await build('spa', url);
    timings.spa = result.seconds;
    expect(result.error).toBeUndefined();
    expect(result.outcome).toMatchObject({ strategy: 'spa', commitSha: head });
    expect(text(result)).toContain('Serving dist/');
    expect((await docker.getImage(result.outcome!.imageRef).inspect()).Config.User).toBe('65534:65534');
    expect(await httpGet(result.outcome!.imageRef, 8080, ['/', '/assets/app.js', '/some/client/route', '/build.js'])).toEqual([
      { status: 200, body: `<h1>spa ${run}</h1>` },
      { status: 200, body: 'console.log(1)' },
      { status: 200, body: `<h1>spa ${run}</h1>` },
      { status: 200, body: `<h1>spa ${run}</h1>` }, // sources are not in the served folder
    ]);
    await expectNothingLeftBehind();
  }, 120_000);

  it('serves a static site as it is', async () => {
    const { url, head } = repository('static', { 'index.html': `<h1>static ${run}</h1>`, 'about/index.html': 'about', '.dockerignore': 'drafts\n', 'drafts/x.html': 'draft' });
    const result = await build('static', url);
    timings.static = result.seconds;
    expect(result.error).toBeUndefined();
    expect(result.outcome).toMatchObject({ strategy: 'static', commitSha: head });
    expect(await httpGet(result.outcome!.imageRef, 8080, ['/', '/about/', '/drafts/x.html', '/Dockerfile', '/Caddyfile'])).toEqual([
      { status: 200, body: `<h1>static ${run}</h1>` },
      { status: 200, body: 'about' },
      { status: 404, body: '' },
      { status: 404, body: '' },
      { status: 404, body: '' },
    ]);
    await expectNothingLeftBehind();
  }, 120_000);

  it('copies a ready image into the local registry, and resolves one that is already there', async () => {
    const staticRef = `${registry}/${project}/static`;
    const [local] = await docker.listImages({ filters: { reference: [`${staticRef}:*`] } });
    const sourceTag = `${project}-src/site:v1`;
    await docker.getImage(local.Id).tag({ repo: `${project}-src/site`, tag: 'v1' });
    const job = (ref: string): BuildJob => ({ buildId: `img-${run}`, deploymentId: 'd', projectName: project, serviceName: 'image', source: { kind: 'image', ref }, dockerfilePath: 'Dockerfile' });

    const copied = await record(job(sourceTag));
    timings.image = copied.seconds;
    expect(copied.error).toBeUndefined();
    expect(copied.outcome).toMatchObject({ imageRef: `${registry}/${project}/image:v1`, strategy: 'image', commitSha: local.Id.replace('sha256:', '') });
    expect(await registryDigest(`${project}/image`, 'v1')).toBe(copied.outcome?.digest);
    expect(copied.started).toEqual([{ commitSha: local.Id.replace('sha256:', ''), strategy: 'image' }]);

    const resolved = await record(job(`${registry}/${project}/image:v1`));
    expect(resolved.outcome).toEqual({ ...copied.outcome, imageRef: `${registry}/${project}/image:v1`, commitSha: copied.outcome!.digest.replace('sha256:', '') });

    const missing = await record(job(`${registry}/${project}/image:no-such-tag`));
    expect(missing.error?.reason).toMatch(/^Could not pull image ".*:no-such-tag"/);
  }, 120_000);

  it('names the failing step of a Dockerfile that fails, with the last log lines, and leaves nothing behind; the build ran within its limits', async () => {
    const marker = `build-test-failing-${run}`;
    const { url } = repository('failing', {
      Dockerfile: [
        `FROM ${config.baseImages.node}`,
        // the build's own limits, as its RUN containers see them (cgroup v2 or v1); the marker keeps it out of the cache
        `RUN echo "${marker} limits: cpu $(cat /sys/fs/cgroup/cpu.max 2>/dev/null || cat /sys/fs/cgroup/cpu/cpu.cfs_quota_us) memory $(cat /sys/fs/cgroup/memory.max 2>/dev/null || cat /sys/fs/cgroup/memory/memory.limit_in_bytes)"`,
        `RUN sh -c 'echo "${marker} failing now" >&2; exit 3'`,
        'CMD ["node"]',
        '',
      ].join('\n'),
    });
    const result = await build('failing', url, { config: { limits: { cpus: 1.5, memoryMb: 768 } } });
    timings.failing = result.seconds;
    expect(result.outcome).toBeUndefined();
    expect(result.error?.reason).toMatch(new RegExp(`^Step \\d+/\\d+ RUN sh -c 'echo "${marker} failing now" >&2; exit 3' failed: exit code 3$`));
    expect(result.error?.lastLogLines.length).toBeGreaterThan(0);
    expect(result.error?.lastLogLines.length).toBeLessThanOrEqual(50);
    expect(result.error?.lastLogLines).toContain(`${marker} failing now`);
    expect(text(result)).toMatch(new RegExp(`^${marker} limits: cpu 150000( 100000)? memory ${768 * 1024 * 1024}$`, 'm'));
    expect(result.lines).toContainEqual({ stream: 'stderr', message: `${marker} failing now` }); // the RUN's stderr, marked as such
    expect(result.started).toEqual([{ commitSha: expect.stringMatching(/^[0-9a-f]{40}$/), strategy: 'dockerfile' }]);
    expect(await containersRunning(marker)).toEqual([]); // intermediate containers removed
    expect(await registryDigest(`${project}/failing`, result.started[0].commitSha.slice(0, 12))).toBeNull();
    await expectNothingLeftBehind();
  }, 120_000);

  it('names a ref that does not exist', async () => {
    const { url } = repository('missing-ref', { 'index.html': 'x' });
    const result = await build('missing-ref', url, { ref: 'no-such-branch' });
    expect(result.error?.reason).toBe(`Git ref "no-such-branch" not found in ${url}`);
    expect(result.started).toEqual([]);
    await expectNothingLeftBehind();
  });

  it('cancels a running build, and stops its build container', async () => {
    const marker = `build-test-cancel-${run}`;
    const { url } = repository('cancel', { Dockerfile: `FROM ${config.baseImages.node}\nRUN sleep 120 && echo ${marker}\n` });
    const abort = new AbortController();
    let cancelledAt = 0; // when the abort is sent, once the sleeping RUN has started
    let scheduled = false;
    const result = await build('cancel', url, {
      signal: abort.signal,
      onLog: (line) => {
        if (/^Step \d+\/\d+ : RUN sleep 120/.test(line.message) && !scheduled) {
          scheduled = true;
          setTimeout(() => {
            cancelledAt = Date.now();
            abort.abort();
          }, 1_500);
        }
      },
    });
    timings.cancelReaction = (Date.now() - cancelledAt) / 1000;
    expect(result.error?.reason).toBe('Build cancelled');
    expect(timings.cancelReaction).toBeLessThan(5);
    expect(result.error?.lastLogLines.join('\n')).toMatch(/RUN sleep 120/);
    await waitUntil('the cancelled build container to go', async () => (await containersRunning(marker)).length === 0, 20_000, 250);
    await expectNothingLeftBehind();
  }, 60_000);

  it('stops a build that runs past its timeout', async () => {
    const marker = `build-test-timeout-${run}`;
    const { url } = repository('timeout', { Dockerfile: `FROM ${config.baseImages.node}\nRUN sleep 120 && echo ${marker}\n` });
    const result = await build('timeout', url, { config: { timeoutMs: 4_000 } });
    expect(result.error?.reason).toBe('Build timed out after 4 s');
    expect(result.seconds).toBeLessThan(15);
    await waitUntil('the timed-out build container to go', async () => (await containersRunning(marker)).length === 0, 20_000, 250);
    await expectNothingLeftBehind();
  }, 60_000);
});
