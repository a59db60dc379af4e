import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { ComposeParseResult, ComposePlan, ComposeProblem } from './compose-plan';
import { parseCompose } from './parse-compose';

const fixture = (name: string) => readFileSync(join(__dirname, 'fixtures', name), 'utf8');
const parse = (name: string, variables?: Record<string, string>) => parseCompose(fixture(name), { file: name, variables });
const planOf = (result: ComposeParseResult): ComposePlan => {
  if (!result.ok) throw new Error(`expected a plan, got: ${result.errors.map((e) => e.message).join('\n')}`);
  return result.plan;
};
const errorsOf = (result: ComposeParseResult): ComposeProblem[] => {
  if (result.ok) throw new Error('expected errors, got a plan');
  return result.errors;
};
const service = (plan: ComposePlan, name: string) => plan.services.find((s) => s.name === name)!;

describe('parseCompose: a front end, an API, a worker and PostgreSQL', () => {
  const result = parse('web-api-worker-db.compose.yaml', { POSTGRES_PASSWORD: 's3cret' });
  const plan = planOf(result);

  it('makes one plan per compose service, in file order', () => {
    expect(plan.services.map((s) => s.name)).toEqual(['web', 'api', 'worker', 'db']);
  });

  it('builds from folders of the repository, with the Dockerfile the file names', () => {
    expect(service(plan, 'web').source).toEqual({ kind: 'build', context: 'web', dockerfilePath: 'web/Dockerfile', args: {} });
    expect(service(plan, 'api').source).toEqual({ kind: 'build', context: 'api', dockerfilePath: 'api/Dockerfile.prod', args: {} });
    expect(service(plan, 'db').source).toEqual({ kind: 'image', ref: 'postgres:16-alpine' });
  });

  it('interpolates variables and defaults, and merges `<<` anchors', () => {
    expect(service(plan, 'api').environment).toEqual([
      { key: 'DATABASE_URL', value: 'postgres://shop:s3cret@db:5432/shop' },
      { key: 'LOG_LEVEL', value: 'info' },
      { key: 'PORT', value: '4000' },
    ]);
    expect(service(plan, 'worker').environment.map((e) => e.key)).toEqual(['DATABASE_URL', 'LOG_LEVEL']);
  });

  it('chooses the port and says why', () => {
    expect(service(plan, 'web').port).toEqual({ container: 3000, from: 'ports', reason: 'the first container port under ports: 8080:3000' });
    expect(service(plan, 'api').port).toMatchObject({ container: 4000, from: 'expose' });
    expect(service(plan, 'worker').port).toBeUndefined();
  });

  it('keeps depends_on with its conditions', () => {
    expect(service(plan, 'api').dependencies).toEqual([{ service: 'db', condition: 'service_healthy', required: true, restart: true }]);
    expect(service(plan, 'worker').dependencies.map((d) => [d.service, d.condition])).toEqual([
      ['db', 'service_healthy'],
      ['api', 'service_started'],
    ]);
  });

  it('reads health checks with their timings, and Docker’s defaults where none is given', () => {
    expect(service(plan, 'api').healthCheck).toEqual({
      kind: 'command',
      test: { kind: 'exec', argv: ['wget', '-qO-', 'http://localhost:4000/healthz'] },
      intervalMs: 10_000,
      timeoutMs: 3_000,
      retries: 5,
      startPeriodMs: 20_000,
    });
    expect(service(plan, 'db').healthCheck).toMatchObject({ test: { kind: 'shell', command: 'pg_isready -U shop -d shop' }, timeoutMs: 30_000 });
  });

  it('splits a string command into words', () => {
    expect(service(plan, 'worker').command).toEqual(['node', 'dist/worker.js', '--queue', 'default']);
  });

  it('maps replicas, limits and the named volume', () => {
    expect(service(plan, 'api')).toMatchObject({ replicas: 2, resources: { cpu: 0.5, memoryMb: 512 } });
    expect(service(plan, 'db')).toMatchObject({ replicas: 1, resources: { memoryMb: 1024 } });
    expect(service(plan, 'db').volumes).toEqual([{ volume: 'pgdata', mountPath: '/var/lib/postgresql/data', readOnly: false }]);
    expect(plan.volumes).toEqual([{ name: 'pgdata', usedBy: ['db'] }]);
  });

  it('names what it does not import', () => {
    expect(result.warnings.map((w) => w.path)).toEqual(['name', 'services.web.ports']);
    expect(result.warnings[1].message).toContain('host ports (8080) are not opened');
  });
});

describe('parseCompose: build settings', () => {
  const result = parse('build-args.compose.yaml', { COMMIT_SHA: 'abc123' });
  const app = service(planOf(result), 'app');

  it('takes context, dockerfile and args (a name alone takes the variable)', () => {
    expect(app.source).toEqual({ kind: 'build', context: 'app', dockerfilePath: 'app/docker/Dockerfile', args: { NODE_VERSION: '22', COMMIT_SHA: 'abc123' } });
  });

  it('says what it leaves out: the build target, the unused image name, an arg with no value', () => {
    const messages = result.warnings.map((w) => `${w.path}: ${w.message}`);
    expect(messages).toEqual(
      expect.arrayContaining([
        expect.stringContaining('services.app.build.target:'),
        expect.stringContaining('services.app.image: services.app.image (build-args.compose.yaml, line 3, column 12) is not used'),
        expect.stringContaining('FROM_ENV has no value'),
      ]),
    );
  });

  it('reads the long port syntax', () => {
    expect(app.port).toMatchObject({ container: 3000, from: 'ports' });
  });

  it('resolves paths from the compose file’s folder, and refuses paths outside the repository', () => {
    const nested = parseCompose('services:\n  app:\n    build: ../app\n', { file: 'deploy/compose.yaml' });
    expect(planOf(nested).services[0].source).toMatchObject({ context: 'app', dockerfilePath: 'app/Dockerfile' });
    const outside = errorsOf(parseCompose('services:\n  app:\n    build: ../../elsewhere\n', { file: 'deploy/compose.yaml' }));
    expect(outside[0].message).toMatch(/^services\.app\.build \(deploy\/compose\.yaml, line 3, column 12\) reaches outside the repository$/);
    const remote = errorsOf(parseCompose('services:\n  app:\n    build: https://github.com/x/y.git\n', { file: 'compose.yaml' }));
    expect(remote[0].message).toContain('is a remote URL');
  });
});

describe('parseCompose: env_file', () => {
  const result = parse('env-file.compose.yaml');
  const api = service(planOf(result), 'api');

  it('names the files to read, in order, with whether each must exist', () => {
    expect(api.envFiles).toEqual([
      { path: 'config/common.env', required: true, format: 'compose' },
      { path: 'config/local.env', required: false, format: 'compose' },
    ]);
  });

  it('keeps a variable declared without a value as one that removes it, and says so', () => {
    expect(api.environment).toEqual([
      { key: 'LOG_LEVEL', value: 'debug' },
      { key: 'FROM_SHELL', value: null },
    ]);
    expect(result.warnings[0].message).toContain('FROM_SHELL has no value and no variable of that name is set');
    const resolved = planOf(parse('env-file.compose.yaml', { FROM_SHELL: 'yes' }));
    expect(service(resolved, 'api').environment[1]).toEqual({ key: 'FROM_SHELL', value: 'yes' });
  });
});

describe('parseCompose: keys Slipway does not support', () => {
  const result = parse('unsupported-keys.compose.yaml');

  it('still imports the services', () => {
    expect(planOf(result).services.map((s) => s.name)).toEqual(['app', 'cache']);
  });

  it('names every one of them in a warning, with where it is', () => {
    const paths = result.warnings.map((w) => w.path);
    for (const path of [
      'version', 'networks', 'secrets', 'services.app.container_name', 'services.app.privileged', 'services.app.cap_add',
      'services.app.networks', 'services.app.secrets', 'services.app.profiles', 'services.app.restart', 'services.app.volumes[0]',
      'services.app.deploy.mode', 'services.app.deploy.update_config', 'services.app.deploy.resources.reservations', 'services.cache.extends',
    ]) {
      expect(paths).toContain(path);
    }
    const privileged = result.warnings.find((w) => w.path === 'services.app.privileged')!;
    expect(privileged).toMatchObject({ line: 11, column: 5 });
    expect(privileged.message).toContain('dropped capabilities');
  });

  it('explains the ports it does not serve', () => {
    const ports = result.warnings.filter((w) => w.path === 'services.app.ports').map((w) => w.message);
    expect(ports.join('\n')).toMatch(/53:53\/udp: only TCP is served/);
    expect(ports.join('\n')).toMatch(/80 is served on the domain, 443 only on the project network/);
  });
});
