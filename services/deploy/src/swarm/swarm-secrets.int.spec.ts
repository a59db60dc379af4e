import { execFileSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { resolve } from 'node:path';
import Dockerode from 'dockerode';
import { infraEnv } from '@slipway/testing';
import { registryImageProcessReader } from './registry-image-config.adapter';
import { secretName, type RunnableEnvVar } from './secret-env.plan';
import { removeService, rollOut, type RolloutOptions, type RolloutRequest } from './swarm-rollout.adapter';
import { defaultEnvExecPath, prepareSecretEnv, removeUnusedSecrets } from './swarm-secrets.adapter';
import type { RunnableSpec } from './swarm-service-spec.builder';
import { askFromNetwork, buildTestApps, execIn } from './test-app.fixture';

// Real Docker Swarm, the local registry and env-exec built by the project's install script. Every
// service, secret and network made here is named secret-test-<run>-… and removed at the end.
const env = infraEnv();
const docker = new Dockerode({ socketPath: env.DOCKER_SOCKET ?? '/var/run/docker.sock' });
const run = randomBytes(3).toString('hex');
const project = `secret-test-${run}`;
const network = `${project}-net`;
const repository = `secret-test-app-${run}`;
const log: string[] = [];
/** High-entropy values: they can appear in an inspect output only if they were put there. */
const token = (name: string) => `${name}-${randomBytes(16).toString('hex')}`;
const tokens = { a: token('a'), b: token('b'), c: token('c'), bad: token('bad') };
const multiline = `line one\nline=two $HOME "quoted" ${randomBytes(4).toString('hex')}`;

const specWith = (apiToken: string): RunnableSpec => ({
  source: { kind: 'image', ref: 'unused' },
  port: 3000,
  env: [
    { key: 'API_TOKEN', value: apiToken, secret: true },
    { key: 'GREETING', value: 'hi' },
    { key: 'MULTILINE', value: multiline, secret: true },
  ] satisfies RunnableEnvVar[],
  replicas: 1,
  resources: { cpu: 0.1, memoryMb: 128 },
  healthCheck: { kind: 'http', path: '/healthz' },
  domains: [],
  build: { dockerfilePath: 'Dockerfile' },
  security: { readOnlyRootFilesystem: true },
});
const request = (service: string, imageRef: string, deployment: string, apiToken: string): RolloutRequest => ({
  swarmService: `${project}-${service}`,
  network,
  imageRef,
  spec: specWith(apiToken),
  labels: { 'slipway.project': project, 'slipway.service': service, 'slipway.deployment': deployment },
});
const secretEnv = { readImageProcess: registryImageProcessReader(), envExecPath: defaultEnvExecPath() };
const options: RolloutOptions = { timeoutMs: 120_000, onProgress: (m) => log.push(`${new Date().toISOString()} ${m}`), secretEnv };

/** Names of the Swarm secrets Slipway keeps for a Swarm service. */
const secretsOf = async (service: string) =>
  (await docker.listSecrets({ filters: { label: [`slipway.swarm-service=${project}-${service}`] } })).map((s) => s.Spec!.Name!).sort();
const namesFor = (deployment: string) => [secretName(deployment, 'API_TOKEN'), secretName(deployment, 'MULTILINE')].sort();
const runningContainer = async (service: string, deployment: string) => {
  const [container] = await docker.listContainers({
    filters: { label: [`com.docker.swarm.service.name=${project}-${service}`, `slipway.deployment=${deployment}`], status: ['running'] },
  });
  return container.Id;
};
/** What PID 1 of the container sees: its environment and argv (`docker exec env` shows neither). */
const processOne = async (containerId: string) => {
  const environ = await execIn(docker, containerId, ['cat', '/proc/1/environ']);
  const cmdline = await execIn(docker, containerId, ['cat', '/proc/1/cmdline']);
  return {
    env: Object.fromEntries(environ.split('\0').filter(Boolean).map((kv) => [kv.slice(0, kv.indexOf('=')), kv.slice(kv.indexOf('=') + 1)])),
    argv: cmdline.split('\0').filter(Boolean),
  };
};
const ask = () => askFromNetwork(docker, { network, url: `http://${project}-web:3000/`, name: `${project}-probe-${Date.now()}` });

let v1: string;
let v2: string;
let broken: string;

beforeAll(async () => {
  // env-exec as production gets it: built by the install script into $SLIPWAY_DATA_DIR/bin.
  execFileSync('bash', [resolve(__dirname, '../../../../infra/scripts/install.sh'), 'env-exec'], { stdio: 'inherit' });
  ({ v1, v2, broken } = await buildTestApps(docker, env.REGISTRY, repository));
}, 180_000);

afterAll(async () => {
  for (const service of ['web', 'bad']) await removeService(docker, `${project}-${service}`);
  for (const s of await docker.listSecrets({ filters: { label: ['slipway.managed=true'] } })) {
    if (s.Spec?.Labels?.['slipway.swarm-service']?.startsWith(project)) await docker.getSecret(s.ID).remove().catch(() => undefined);
  }
  await docker.getNetwork(network).remove().catch(() => undefined);
  for (const ref of [v1, v2, broken].filter(Boolean)) await docker.getImage(ref).remove({ force: true }).catch(() => undefined);
  if (process.env.SWARM_TEST_LOG) console.log(log.join('\n'));
}, 90_000);

describe('secret env vars on Docker Swarm', () => {
  it('reads the image entrypoint and command from the registry', async () => {
    expect(await registryImageProcessReader()(v1)).toEqual({ entrypoint: ['docker-entrypoint.sh'], cmd: ['node', '/app/server.js'], exposedPorts: [] });
  });

  it('security: secret values never appear in docker service inspect', async () => {
    expect(await rollOut(docker, request('web', v1, 's1', tokens.a), options)).toEqual({ outcome: 'succeeded' });
    const containerId = await runningContainer('web', 's1');

    // The app's own process has them, verbatim, with the plain vars and the image's ENV ...
    const one = await processOne(containerId);
    expect(one.env).toMatchObject({ API_TOKEN: tokens.a, MULTILINE: multiline, GREETING: 'hi', PORT: '3000', APP_VERSION: 'v1' });
    // ... and is the image's process itself (entrypoint, then CMD; env-exec exec'd, nothing spawned).
    expect(one.argv).toEqual(['node', '/app/server.js']);
    expect(await ask()).toEqual([expect.stringMatching(/^v1 /)]);

    // Nothing an operator (or anyone with the socket) can inspect holds a value.
    const leaks = (text: string) => [tokens.a, multiline, Buffer.from(tokens.a).toString('base64'), 'line one'].filter((v) => text.includes(v));
    expect(leaks(execFileSync('docker', ['service', 'inspect', `${project}-web`], { encoding: 'utf8' }))).toEqual([]);
    expect(leaks(execFileSync('docker', ['inspect', containerId], { encoding: 'utf8' }))).toEqual([]);
    expect(leaks(execFileSync('docker', ['service', 'ps', '--no-trunc', '--format', '{{json .}}', `${project}-web`], { encoding: 'utf8' }))).toEqual([]);
    expect(leaks(JSON.stringify(await docker.listTasks({ filters: { service: [`${project}-web`] } })))).toEqual([]);
    const info = await docker.getContainer(containerId).inspect();
    expect(info.Config.Env).toEqual(expect.arrayContaining(['GREETING=hi', 'PORT=3000']));
    expect(info.Config.Env.some((e) => e.startsWith('API_TOKEN=') || e.startsWith('MULTILINE='))).toBe(false);
    for (const name of await secretsOf('web')) expect(leaks(execFileSync('docker', ['secret', 'inspect', name], { encoding: 'utf8' }))).toEqual([]);
  }, 150_000);

  it('keeps only the secrets a service uses: replaced, failed and rolled-back deployments leave none behind', async () => {
    expect(await secretsOf('web')).toEqual(namesFor('s1'));

    // An update: the new deployment's secrets replace the old ones; SIGTERM reached the old app itself.
    expect(await rollOut(docker, request('web', v2, 's2', tokens.b), options)).toEqual({ outcome: 'succeeded' });
    expect(await secretsOf('web')).toEqual(namesFor('s2'));
    expect((await processOne(await runningContainer('web', 's2'))).env.API_TOKEN).toBe(tokens.b);
    const [old] = await docker.listContainers({ all: true, filters: { label: [`com.docker.swarm.service.name=${project}-web`, 'slipway.deployment=s1'] } });
    const oldState = (await docker.getContainer(old.Id).inspect()).State;
    expect({ status: oldState.Status, exitCode: oldState.ExitCode }).toEqual({ status: 'exited', exitCode: 0 }); // closed gracefully, not killed

    // A failed update rolls back to s2, which still has its secrets; the failed one's are gone.
    const failed = await rollOut(docker, request('web', broken, 's3', tokens.c), options);
    expect(failed).toMatchObject({ outcome: 'failed', rolledBack: true });
    expect(await secretsOf('web')).toEqual(namesFor('s2'));
    expect(await ask()).toEqual([expect.stringMatching(/^v2 /)]);
    expect((await processOne(await runningContainer('web', 's2'))).env.API_TOKEN).toBe(tokens.b);

    // Slipway's rollback to an older deployment is a new deployment of its image and (sealed) values.
    expect(await rollOut(docker, request('web', v1, 's4', tokens.a), options)).toEqual({ outcome: 'succeeded' });
    expect(await secretsOf('web')).toEqual(namesFor('s4'));
    expect((await processOne(await runningContainer('web', 's4'))).env.API_TOKEN).toBe(tokens.a);
  }, 400_000);

  it('removes what an interrupted roll-out created, but not what one still rolling out needs', async () => {
    // Secrets created, then the process died before the service used them (s5); s6 is rolling out elsewhere.
    for (const deployment of ['s5', 's6']) await prepareSecretEnv(docker, request('web', v1, deployment, tokens.c), v1, secretEnv);
    expect(await secretsOf('web')).toEqual([...namesFor('s4'), ...namesFor('s5'), ...namesFor('s6')].sort());
    // A retried roll-out finds its secrets instead of failing on the name.
    await prepareSecretEnv(docker, request('web', v1, 's5', tokens.c), v1, secretEnv);
    const removed = await removeUnusedSecrets(docker, { swarmService: `${project}-web`, keep: (deployment) => deployment === 's6' });
    expect(removed.sort()).toEqual(namesFor('s5'));
    expect(await secretsOf('web')).toEqual([...namesFor('s4'), ...namesFor('s6')].sort());
  }, 60_000);

  it('removes the secrets with the service, and those of a first deployment that failed', async () => {
    await removeService(docker, `${project}-web`);
    expect(await secretsOf('web')).toEqual([]);

    const failed = await rollOut(docker, { ...request('bad', broken, 'b1', tokens.bad), network: `${project}-bad-net` }, options);
    expect(failed).toMatchObject({ outcome: 'failed', removed: true });
    expect(await secretsOf('bad')).toEqual([]);
  }, 180_000);
});
