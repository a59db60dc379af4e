import Dockerode from 'dockerode';
import { infraEnv } from '@slipway/testing';
import { removeService, rollOut, type RolloutRequest } from './swarm-rollout.adapter';
import type { RunnableSpec } from './swarm-service-spec.builder';
import { askFromNetwork, buildTestApps, execIn } from './test-app.fixture';

// Real Docker Swarm and the local registry (infra/scripts/up.sh). Everything created here is named
// swarm-test-<run>-… and removed at the end.
const env = infraEnv();
const docker = new Dockerode({ socketPath: env.DOCKER_SOCKET ?? '/var/run/docker.sock' });
const run = Math.random().toString(36).slice(2, 7);
const project = `swarm-test-${run}`;
const network = `${project}-net`;
const repository = `swarm-test-app-${run}`;
const log: string[] = [];

const spec: RunnableSpec = {
  source: { kind: 'image', ref: 'unused' },
  port: 3000,
  env: [{ key: 'GREETING', value: 'hi' }],
  replicas: 1,
  resources: { cpu: 0.1, memoryMb: 128 },
  healthCheck: { kind: 'http', path: '/healthz' },
  domains: [],
  build: { dockerfilePath: 'Dockerfile' },
  security: { readOnlyRootFilesystem: true },
};
const request = (service: string, imageRef: string, deployment: string): RolloutRequest => ({
  swarmService: `${project}-${service}`,
  network,
  imageRef,
  spec,
  labels: { 'slipway.project': project, 'slipway.service': service, 'slipway.deployment': deployment },
});
const options = { timeoutMs: 120_000, onProgress: (m: string) => log.push(`${new Date().toISOString()} ${m}`) };
const ask = (service: string, times = 1) =>
  askFromNetwork(docker, { network, url: `http://${project}-${service}:3000/`, times, name: `${project}-probe-${Date.now()}` });

let v1: string;
let v2: string;
let broken: string;

beforeAll(async () => {
  ({ v1, v2, broken } = await buildTestApps(docker, env.REGISTRY, repository));
}, 180_000);

afterAll(async () => {
  await removeService(docker, `${project}-web`);
  await removeService(docker, `${project}-bad`);
  await docker.getNetwork(network).remove().catch(() => undefined);
  for (const ref of [v1, v2, broken].filter(Boolean)) await docker.getImage(ref).remove({ force: true }).catch(() => undefined);
  if (process.env.SWARM_TEST_LOG) console.log(log.join('\n'));
}, 60_000);

describe('rolling a service out on Docker Swarm', () => {
  it('creates the service, with its network, and succeeds once the task is healthy', async () => {
    const started = Date.now();
    const result = await rollOut(docker, request('web', v1, 'd1'), options);
    log.push(`create took ${Date.now() - started} ms`);
    expect(result).toEqual({ outcome: 'succeeded' });

    const service = await docker.getService(`${project}-web`).inspect();
    expect(service.Spec.EndpointSpec.Mode).toBe('dnsrr');
    expect(service.Spec.Labels).toMatchObject({ 'slipway.project': project, 'slipway.deployment': 'd1' });
    expect(service.Spec.TaskTemplate.ContainerSpec.Image).toMatch(new RegExp(`^${v1.replace(/[.:/]/g, '\\$&')}@sha256:[0-9a-f]{64}$`));
    expect(service.Spec.UpdateConfig).toMatchObject({ Order: 'start-first', FailureAction: 'rollback' });
    const net = await docker.getNetwork(network).inspect();
    expect(net).toMatchObject({ Driver: 'overlay', Attachable: true });
    // a /24 of 10.208.0.0/12, tasks in its lower half, .254 kept for the edge (Caddy)
    const { Subnet, IPRange } = net.IPAM?.Config?.[0] ?? {};
    const prefix = /^(10\.2(?:0[89]|1\d|2[0-3])\.\d+)\.0\/24$/.exec(Subnet ?? '')?.[1];
    expect(prefix).toBeDefined();
    expect(IPRange).toBe(`${prefix}.0/25`);
    expect(net.Labels?.['slipway.edge-address']).toBe(`${prefix}.254`);

    const [container] = await docker.listContainers({ filters: { label: [`com.docker.swarm.service.name=${project}-web`] } });
    const info = await docker.getContainer(container.Id).inspect();
    expect(info.HostConfig.ReadonlyRootfs).toBe(true);
    expect(info.HostConfig.CapDrop).toEqual(['ALL']);
    expect(info.HostConfig.NanoCpus).toBe(100_000_000);
    expect(info.HostConfig.Memory).toBe(128 * 1024 * 1024);
    expect(info.Config.Env).toEqual(expect.arrayContaining(['GREETING=hi', 'PORT=3000']));
    log.push(`SecurityOpt on this engine: ${JSON.stringify(info.HostConfig.SecurityOpt)}`);
    // security: the app's process cannot gain privileges (dockerd --no-new-privileges), and has a pids limit.
    expect(info.HostConfig.PidsLimit).toBe(1024);
    const status = await execIn(docker, container.Id, ['cat', '/proc/1/status']);
    expect(status).toMatch(/^NoNewPrivs:\s+1$/m);
    expect(info.State.Health?.Status).toBe('healthy'); // the image has no wget or curl: the node probe ran

    expect(await ask('web')).toEqual([expect.stringMatching(/^v1 /)]);
  }, 120_000);

  it('updates to a new image and succeeds once the new task is healthy and Swarm completed the update', async () => {
    const started = Date.now();
    const result = await rollOut(docker, request('web', v2, 'd2'), options);
    log.push(`update took ${Date.now() - started} ms`);
    expect(result).toEqual({ outcome: 'succeeded' });
    expect(await ask('web', 3)).toEqual([expect.stringMatching(/^v2 /), expect.stringMatching(/^v2 /), expect.stringMatching(/^v2 /)]);
  }, 120_000);

  it('rolls back an update whose new task never becomes healthy: the previous version keeps serving', async () => {
    const started = Date.now();
    const result = await rollOut(docker, request('web', broken, 'd3'), options);
    log.push(`failed update took ${Date.now() - started} ms: ${JSON.stringify(result)}`);
    expect(result).toMatchObject({ outcome: 'failed', rolledBack: true, removed: false });
    expect(result.outcome === 'failed' && result.reason).toMatch(/never became healthy: health check failed/);
    const service = await docker.getService(`${project}-web`).inspect();
    expect(service.Spec.TaskTemplate.ContainerSpec.Image).toContain(`${v2}@`);
    expect(await ask('web')).toEqual([expect.stringMatching(/^v2 /)]);
  }, 180_000);

  it('removes a first deployment that never becomes healthy, leaving nothing behind', async () => {
    const result = await rollOut(docker, { ...request('bad', broken, 'd4'), network: `${project}-bad-net` }, options);
    expect(result).toMatchObject({ outcome: 'failed', rolledBack: false, removed: true });
    expect(result.outcome === 'failed' && result.reason).toMatch(/never became healthy: health check failed/);
    await expect(docker.getService(`${project}-bad`).inspect()).rejects.toMatchObject({ statusCode: 404 });
    expect(await docker.listContainers({ all: true, filters: { label: [`com.docker.swarm.service.name=${project}-bad`] } })).toEqual([]);
    await expect(docker.getNetwork(`${project}-bad-net`).inspect()).rejects.toMatchObject({ statusCode: 404 });
  }, 180_000);
});
