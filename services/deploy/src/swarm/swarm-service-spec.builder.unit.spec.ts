import { execFile } from 'node:child_process';
import { createServer, type Server } from 'node:http';
import type Dockerode from 'dockerode';
import { healthCheckTest, safeHealthPath } from './health-check.config';
import {
  buildSwarmServiceSpec,
  pinImage,
  SPEC_HASH_LABEL,
  specHashOf,
  type RolloutRequest,
  type RunnableSpec,
} from './swarm-service-spec.builder';

const spec: RunnableSpec = {
  source: { kind: 'image', ref: 'nginx:1' },
  port: 3000,
  env: [{ key: 'GREETING', value: 'hello world' }],
  replicas: 2,
  resources: { cpu: 0.5, memoryMb: 256 },
  healthCheck: { kind: 'http', path: '/healthz' },
  domains: [],
  build: { dockerfilePath: 'Dockerfile' },
  security: { readOnlyRootFilesystem: true, runAsUser: '1000' },
};
const request: RolloutRequest = {
  swarmService: 'shop-web',
  network: 'slipway-shop',
  imageRef: '127.0.0.1:5000/shop/web:abc',
  spec,
  labels: { 'slipway.project': 'shop', 'slipway.service': 'web', 'slipway.deployment': 'd_1' },
};
const pinned = '127.0.0.1:5000/shop/web:abc@sha256:0123';
const container = (s: Dockerode.ServiceSpec) => (s.TaskTemplate as Dockerode.ContainerTaskSpec).ContainerSpec!;

describe('swarm service spec', () => {
  const built = buildSwarmServiceSpec(request, pinned);

  it('runs the service\u2019s command instead of the image\u2019s CMD, and the image\u2019s own without one', () => {
    expect(container(buildSwarmServiceSpec({ ...request, spec: { ...spec, command: ['node', 'worker.js'] } }, pinned)).Args).toEqual(['node', 'worker.js']);
    expect(container(built).Args).toBeUndefined();
    expect(container(buildSwarmServiceSpec({ ...request, spec: { ...spec, command: [] } }, pinned)).Args).toBeUndefined();
  });

  it('with secrets, runs env-exec, then the image\u2019s entrypoint with the service\u2019s command', () => {
    const mount = { secrets: [{ key: 'TOKEN', secretId: 'sec1', secretName: 'slipway-x' }], process: { entrypoint: ['docker-entrypoint.sh'], cmd: ['node', 'server.js'] }, envExecPath: '/opt/env-exec' };
    const c = container(buildSwarmServiceSpec({ ...request, spec: { ...spec, command: ['node', 'worker.js'] } }, pinned, mount as never));
    expect({ command: c.Command?.slice(1), args: c.Args }).toEqual({ command: ['docker-entrypoint.sh'], args: ['node', 'worker.js'] });
  });

  it('runs the pinned image on the project network in dnsrr mode, with the labels', () => {
    expect(built.Name).toBe('shop-web');
    expect(container(built).Image).toBe(pinned);
    expect(built.EndpointSpec).toEqual({ Mode: 'dnsrr' });
    expect((built.TaskTemplate as Dockerode.ContainerTaskSpec).Networks).toEqual([{ Target: 'slipway-shop' }]);
    const aliased = buildSwarmServiceSpec({ ...request, aliases: ['web'] }, pinned);
    expect((aliased.TaskTemplate as Dockerode.ContainerTaskSpec).Networks).toEqual([{ Target: 'slipway-shop', Aliases: ['web'] }]);
    expect(built.Labels).toMatchObject(request.labels);
    expect(container(built).Labels).toMatchObject(request.labels);
    expect(built.Mode).toEqual({ Replicated: { Replicas: 2 } });
  });

  it('passes env vars and tells the app its port', () => {
    expect(container(built).Env).toEqual(['GREETING=hello world', 'PORT=3000']);
    const own = buildSwarmServiceSpec({ ...request, spec: { ...spec, env: [{ key: 'PORT', value: '8080' }] } }, pinned);
    expect(container(own).Env).toEqual(['PORT=8080']);
  });

  it('limits and reserves the same resources', () => {
    const resources = (built.TaskTemplate as Dockerode.ContainerTaskSpec).Resources;
    expect(resources?.Limits).toEqual({ NanoCPUs: 500_000_000, MemoryBytes: 256 * 1024 * 1024, Pids: 1024 });
    expect(resources?.Reservations).toEqual({ MemoryBytes: 256 * 1024 * 1024 });
  });

  it('rolls out start-first, one task at a time, and rolls back on failure', () => {
    expect(built.UpdateConfig).toMatchObject({ Order: 'start-first', FailureAction: 'rollback', Parallelism: 1, MaxFailureRatio: 0 });
    // Long enough to catch a task that crashes right after its first good check, short enough for a ≤ 10 s rollback.
    expect(built.UpdateConfig?.Monitor).toBe(4e9);
    expect(built.RollbackConfig).toMatchObject({ Order: 'start-first' });
  });

  it('applies safe defaults: no new privileges, capabilities dropped, read-only root with a tmpfs /tmp, the user', () => {
    const c = container(built) as Dockerode.ContainerSpec & { Privileges?: { NoNewPrivileges?: boolean } };
    expect(c.Privileges?.NoNewPrivileges).toBe(true);
    expect(c.CapabilityDrop).toEqual(['ALL']);
    expect(c.CapabilityAdd).not.toContain('CAP_NET_RAW');
    expect(c.CapabilityAdd).not.toContain('CAP_SYS_ADMIN');
    expect(c.ReadOnly).toBe(true);
    expect(c.Mounts).toEqual([expect.objectContaining({ Type: 'tmpfs', Target: '/tmp' })]);
    expect(c.User).toBe('1000');
    const writable = container(buildSwarmServiceSpec({ ...request, spec: { ...spec, security: { readOnlyRootFilesystem: false } } }, pinned));
    expect(writable.ReadOnly).toBe(false);
    expect(writable.Mounts).toEqual([]);
    expect(writable.User).toBeUndefined();
  });

  it('mounts each named volume writable beside a read-only root, labelled and named per project, service and volume', () => {
    const volumes = [{ name: 'data', mountPath: '/var/lib/app' }];
    const c = container(buildSwarmServiceSpec({ ...request, spec: { ...spec, volumes } }, pinned));
    expect(c.ReadOnly).toBe(true);
    expect(c.Mounts).toEqual([
      expect.objectContaining({ Type: 'tmpfs', Target: '/tmp' }),
      expect.objectContaining({
        Type: 'volume',
        Source: 'slipway.shop.web.data',
        Target: '/var/lib/app',
        ReadOnly: false,
        VolumeOptions: expect.objectContaining({ Labels: expect.objectContaining({ 'slipway.project': 'shop', 'slipway.service': 'web', 'slipway.volume': 'data' }) }),
      }),
    ]);
    // A volume added or removed is a new task template: the next deployment starts new tasks with it.
    expect(specHashOf(buildSwarmServiceSpec({ ...request, spec: { ...spec, volumes } }, pinned))).not.toBe(specHashOf(built));
  });

  it('checks health every 2 s, 3 retries, a short start period', () => {
    expect(container(built).HealthCheck).toMatchObject({ Interval: 2e9, Retries: 3, StartPeriod: 5e9 });
    const none = buildSwarmServiceSpec({ ...request, spec: { ...spec, healthCheck: { kind: 'none' } } }, pinned);
    expect(container(none).HealthCheck).toEqual({ Test: ['NONE'] });
  });

  it('labels the tasks with a hash of their template that changes with the image or the spec only', () => {
    const hash = specHashOf(built);
    expect(hash).toMatch(/^[0-9a-f]{16}$/);
    expect(container(built).Labels?.[SPEC_HASH_LABEL]).toBe(hash);
    expect(specHashOf(buildSwarmServiceSpec(request, pinned))).toBe(hash);
    expect(specHashOf(buildSwarmServiceSpec(request, `${pinned}4`))).not.toBe(hash);
    expect(specHashOf(buildSwarmServiceSpec({ ...request, spec: { ...spec, replicas: 3 } }, pinned))).toBe(hash);
  });

  it('pins a tag to its digest, keeps a reference that already has one', () => {
    expect(pinImage('127.0.0.1:5000/a/b:1', 'sha256:ff')).toBe('127.0.0.1:5000/a/b:1@sha256:ff');
    expect(pinImage('a/b@sha256:ee', 'sha256:ff')).toBe('a/b@sha256:ee');
    expect(pinImage('a/b:1', undefined)).toBe('a/b:1');
  });
});

describe('health check command', () => {
  it('never lets a path reach the shell unquoted', () => {
    expect(safeHealthPath("/x'; rm -rf / #")).toBe('/x%27;%20rm%20-rf%20/%20%23');
    expect(safeHealthPath('/a b/`id`/$(id)"')).not.toMatch(/[\s`"']/);
    expect(safeHealthPath('/health?full=1&x=%20')).toBe('/health?full=1&x=%20');
  });

  it('is NONE for none, a shell chain for http and tcp', () => {
    expect(healthCheckTest({ kind: 'none' }, 80)).toEqual(['NONE']);
    const [kind, http] = healthCheckTest({ kind: 'http', path: '/healthz' }, 8080);
    expect(kind).toBe('CMD-SHELL');
    expect(http).toContain("wget -q -O /dev/null 'http://127.0.0.1:8080/healthz'");
    expect(http).not.toContain('wget -T');
    expect(http).toContain('curl -fsS');
    expect(http).toContain('node -e');
    expect(healthCheckTest({ kind: 'tcp' }, 5432)[1]).toContain('/dev/tcp/127.0.0.1/5432');
  });

  describe('run by a real shell with only node on the PATH', () => {
    let server: Server;
    let port: number;
    let status = 200;
    const nodeDir = process.execPath.replace(/\/node$/, '');
    // PATH without wget and curl: the chain must fall through to node (async: the server is in this process)
    const run = (test: string[]) =>
      new Promise<number>((resolve) =>
        execFile('/bin/sh', ['-c', test[1]], { env: { PATH: `${nodeDir}:/nonexistent` }, timeout: 4000 }, (err) =>
          resolve(err ? Number((err as { code?: number }).code ?? 1) : 0),
        ),
      );
    beforeAll(async () => {
      server = createServer((req, res) => {
        res.statusCode = req.url === '/healthz' ? status : 404;
        res.end();
      });
      await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
      port = (server.address() as { port: number }).port;
    });
    afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));

    it('http: healthy on 200, unhealthy on 500 or when nothing listens', async () => {
      status = 200;
      expect(await run(healthCheckTest({ kind: 'http', path: '/healthz' }, port))).toBe(0);
      status = 500;
      expect(await run(healthCheckTest({ kind: 'http', path: '/healthz' }, port))).not.toBe(0);
      expect(await run(healthCheckTest({ kind: 'http', path: '/healthz' }, 1))).not.toBe(0);
    });

    it('tcp: healthy when the port accepts a connection', async () => {
      expect(await run(healthCheckTest({ kind: 'tcp' }, port))).toBe(0);
      expect(await run(healthCheckTest({ kind: 'tcp' }, 1))).not.toBe(0);
    });
  });
});
