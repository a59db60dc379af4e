import type Dockerode from 'dockerode';
import { ENV_EXEC_TARGET, secretName, wrappedProcess, type SecretEnvMount } from './secret-env.plan';
import { buildSwarmServiceSpec, type RolloutRequest, type RunnableSpec } from './swarm-service-spec.builder';

const spec: RunnableSpec = {
  source: { kind: 'image', ref: 'nginx:1' },
  port: 3000,
  env: [
    { key: 'API_TOKEN', value: 'tok-7f3a9c', secret: true },
    { key: 'GREETING', value: 'hello' },
  ],
  replicas: 1,
  resources: { cpu: 0.5, memoryMb: 256 },
  healthCheck: { kind: 'none' },
  domains: [],
  build: { dockerfilePath: 'Dockerfile' },
  security: { readOnlyRootFilesystem: true },
};
const request: RolloutRequest = {
  swarmService: 'shop-web',
  network: 'slipway-shop',
  imageRef: '127.0.0.1:5000/shop/web:abc',
  spec,
  labels: { 'slipway.project': 'shop', 'slipway.service': 'web', 'slipway.deployment': 'd_1' },
};
const mount: SecretEnvMount = {
  secrets: [{ key: 'API_TOKEN', secretId: 'sec123', secretName: secretName('d_1', 'API_TOKEN') }],
  process: { entrypoint: ['docker-entrypoint.sh'], cmd: ['node', 'server.js'] },
  envExecPath: '/var/lib/slipway/bin/slipway-env-exec',
};
const container = (s: Dockerode.ServiceSpec) => (s.TaskTemplate as Dockerode.ContainerTaskSpec).ContainerSpec!;

describe('secret env vars in the Swarm spec', () => {
  const built = buildSwarmServiceSpec(request, '127.0.0.1:5000/shop/web:abc@sha256:01', mount);

  it('keeps secret values out of every field of the spec; plain vars stay in Env', () => {
    expect(JSON.stringify(built)).not.toContain('tok-7f3a9c');
    expect(container(built).Env).toEqual(['GREETING=hello', 'PORT=3000']);
  });

  it('mounts each secret at /run/secrets/slipway/<KEY>, and env-exec read-only from the node', () => {
    expect(container(built).Secrets).toEqual([
      { SecretID: 'sec123', SecretName: mount.secrets[0].secretName, File: { Name: '/run/secrets/slipway/API_TOKEN', UID: '0', GID: '0', Mode: 0o444 } },
    ]);
    expect(container(built).Mounts).toEqual([
      expect.objectContaining({ Type: 'tmpfs', Target: '/tmp' }),
      { Type: 'bind', Source: mount.envExecPath, Target: ENV_EXEC_TARGET, ReadOnly: true },
    ]);
  });

  it("runs env-exec, then the image's own entrypoint and command", () => {
    expect(container(built).Command).toEqual([ENV_EXEC_TARGET, 'docker-entrypoint.sh']);
    expect(container(built).Args).toEqual(['node', 'server.js']);
  });

  it('never falls back to Env: secret vars without their Swarm secrets are refused', () => {
    expect(() => buildSwarmServiceSpec(request, 'img')).toThrow(/API_TOKEN need their Swarm secrets/);
  });

  it('leaves a spec without secret vars exactly as the image runs it', () => {
    const plain = buildSwarmServiceSpec({ ...request, spec: { ...spec, env: [{ key: 'GREETING', value: 'hello' }] } }, 'img');
    expect(container(plain).Command).toBeUndefined();
    expect(container(plain).Secrets).toBeUndefined();
  });
});

describe('secret names and the wrapped process', () => {
  it('names a secret by deployment and key, never by its value', () => {
    expect(secretName('d_1', 'API_TOKEN')).toMatch(/^slipway-env-[0-9a-f]{32}$/);
    expect(secretName('d_1', 'API_TOKEN')).toBe(secretName('d_1', 'API_TOKEN'));
    expect(secretName('d_2', 'API_TOKEN')).not.toBe(secretName('d_1', 'API_TOKEN'));
    expect(secretName('d_1', 'OTHER')).not.toBe(secretName('d_1', 'API_TOKEN'));
  });

  it("follows Docker's rules for a command of the service's own", () => {
    const image = { entrypoint: ['/entry'], cmd: ['serve'] };
    expect(wrappedProcess(image)).toEqual({ Command: [ENV_EXEC_TARGET, '/entry'], Args: ['serve'] });
    expect(wrappedProcess(image, { command: ['/bin/app'] })).toEqual({ Command: [ENV_EXEC_TARGET, '/bin/app'], Args: [] });
    expect(wrappedProcess(image, { command: ['/bin/app'], args: ['-v'] })).toEqual({ Command: [ENV_EXEC_TARGET, '/bin/app'], Args: ['-v'] });
    expect(wrappedProcess(image, { args: ['migrate'] })).toEqual({ Command: [ENV_EXEC_TARGET, '/entry'], Args: ['migrate'] });
    expect(wrappedProcess({ entrypoint: [], cmd: ['node', 'x.js'] })).toEqual({ Command: [ENV_EXEC_TARGET], Args: ['node', 'x.js'] });
  });
});
