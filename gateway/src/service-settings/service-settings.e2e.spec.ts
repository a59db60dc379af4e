import { execFileSync } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import Dockerode from 'dockerode';
import { MongoClient } from 'mongodb';
import { connect, type NatsConnection } from '@nats-io/transport-node';
import { JetStreamEventStore } from '@slipway/event-store';
import { domainClaimId, platformServices } from '@slipway/proto';
import { buildTestApp, edgeRoots, GraphqlTestClient, HttpsTestClient, infraEnv, startPlatformProcess, startPlatformProcesses, waitUntil, type PlatformProcess } from '@slipway/testing';
import { busCredentials } from '@slipway/messaging';
import { readStoreUrl } from '@slipway/secret-box';

/**
 * Env vars, domains and service settings through the gateway's API, against the real services:
 * secrets never come back and are sealed in the event store, the running container gets the merged
 * environment, a changed setting is applied by the next deployment, a hostname has one owner.
 */
const BASE_DOMAIN = 'localhost'; // the instance's base domain; custom domains below are ACME names (slipway.test)
const LIST = 'scope projectId serviceId vars { key value secret updatedAt }';
const SERVICE = 'id name port replicas cpu memoryMb domains healthCheck { kind path } dockerfilePath buildStrategy source { kind image }';
type EnvList = { scope: string; vars: { key: string; value: string | null; secret: boolean }[] };

describe('service settings: env vars, domains and settings', () => {
  const processes: PlatformProcess[] = [];
  const docker = new Dockerode();
  const tag = randomUUID().slice(0, 6);
  const project = `settings-${tag}`;
  /** Instance-wide: unique names, removed afterwards, since every deployment on this machine gets them. */
  const globalKey = (name: string) => `E2E_${tag.toUpperCase()}_${name}`;
  const secrets = { global: `global-secret-${randomUUID()}`, project: `project-secret-${randomUUID()}`, service: `service-secret-${randomUUID()}` };
  const domain = `shop-${tag}.example.test`;
  let api: GraphqlTestClient;
  let https: HttpsTestClient;
  let nc: NatsConnection;
  let store: JetStreamEventStore;
  let mongo: MongoClient;
  let projectId: string;
  let webId: string;
  let apiId: string;

  const refusal = async (query: string, variables: Record<string, unknown> = {}) => {
    const { errors } = await api.execute(query, variables);
    expect(errors).toHaveLength(1);
    return errors![0];
  };

  const setEnvVar = async (input: Record<string, unknown>) =>
    (await api.request<{ setEnvVar: EnvList }>(`mutation($i: SetEnvVarInput!) { setEnvVar(input: $i) { ${LIST} } }`, { i: input })).setEnvVar;
  const setGlobal = async (input: Record<string, unknown>) =>
    (await api.request<{ setGlobalEnvVar: EnvList }>(`mutation($i: SetGlobalEnvVarInput!) { setGlobalEnvVar(input: $i) { ${LIST} } }`, { i: input }))
      .setGlobalEnvVar;
  const envVars = async (args: string) => (await api.request<{ envVars: EnvList }>(`{ envVars(${args}) { ${LIST} } }`)).envVars;

  const deploy = async (serviceId: string) => {
    const { deployService } = await api.request<{ deployService: { id: string } }>(`mutation($s: ID!) { deployService(serviceId: $s) { id } }`, { s: serviceId });
    let deployment: { status: string; error: string | null; url: string | null } = { status: 'QUEUED', error: null, url: null };
    const started = Date.now();
    await waitUntil(
      `deployment ${deployService.id}`,
      async () => {
        deployment = (await api.request<{ deployment: typeof deployment }>(`query($id: ID!) { deployment(id: $id) { status error url } }`, { id: deployService.id }))
          .deployment;
        return ['SUCCEEDED', 'FAILED', 'CANCELLED'].includes(deployment.status);
      },
      150_000,
      500,
    );
    console.log(`deployment ${deployService.id}: ${deployment.status} in ${((Date.now() - started) / 1000).toFixed(1)} s`);
    return { id: deployService.id, ...deployment };
  };
  const runningContainer = async (deploymentId: string) =>
    (await docker.listContainers({ filters: { label: [`slipway.deployment=${deploymentId}`], status: ['running'] } }))[0].Id;
  /**
   * The environment of a running task of a deployment, as the app's process (PID 1) sees it: secret
   * vars are set by its entrypoint, so `docker exec … env` (the container's configured Env) lacks them.
   */
  const containerEnv = async (deploymentId: string): Promise<Record<string, string>> => {
    const out = execFileSync('docker', ['exec', await runningContainer(deploymentId), 'cat', '/proc/1/environ'], { encoding: 'utf8' });
    return Object.fromEntries(out.split('\0').filter(Boolean).map((kv) => [kv.slice(0, kv.indexOf('=')), kv.slice(kv.indexOf('=') + 1)]));
  };
  const swarmReplicas = async () => (await docker.getService(`${project}-web`).inspect()).Spec.Mode.Replicated.Replicas as number;
  const streamText = async (aggregate: string, id: string) => JSON.stringify((await store.read({ context: 'project', aggregate, id })).events);

  beforeAll(async () => {
    const env = { SLIPWAY_ROLLOUT_TIMEOUT_MS: '90000' };
    const [image] = await Promise.all([
      buildTestApp(docker, { registry: infraEnv().REGISTRY, repository: `e2e-settings/app`, version: `v-${tag}`, healthy: true }),
      (async () => processes.push(...(await startPlatformProcesses(platformServices.map((s) => s.name), { env }))))(),
    ]);
    const gateway = await startPlatformProcess('gateway', { env, waitForReady: false });
    processes.push(gateway);
    api = new GraphqlTestClient(gateway.port);
    await waitUntil('the platform to be ready', async () => (await gateway.health()).status === 200, 60_000);
    await api.signInAsOwner();
    https = new HttpsTestClient(await edgeRoots());
    nc = await connect({ servers: infraEnv().NATS_URL, ...busCredentials('operator') });
    store = await JetStreamEventStore.create(nc);
    mongo = await new MongoClient(readStoreUrl(infraEnv().MONGO_URL)).connect();

    projectId = (await api.request<{ createProject: { id: string } }>(`mutation { createProject(input: { name: "${project}" }) { id } }`)).createProject.id;
    const create = async (name: string) =>
      (
        await api.request<{ createService: { id: string } }>(`mutation($i: CreateServiceInput!) { createService(input: $i) { id } }`, {
          i: { projectId, name, port: 3000, healthCheckPath: '/healthz', source: { image: { ref: image } }, env: [{ key: 'FROM_CREATION', value: 'created' }] },
        })
      ).createService.id;
    webId = await create('web');
    apiId = await create('api');
  });

  afterAll(async () => {
    for (const name of ['PLAIN', 'SECRET', 'SHARED']) {
      await api?.request(`mutation($k: String!) { deleteGlobalEnvVar(key: $k) { scope } }`, { k: globalKey(name) }).catch(() => undefined);
    }
    await api?.close();
    https?.close();
    await Promise.all(processes.map((p) => p.stop()));
    await nc?.close();
    await mongo?.close();
    if (process.env.E2E_KEEP) return;
    for (const s of await docker.listServices({ filters: { label: [`slipway.project=${projectId}`] } })) await docker.getService(s.ID).remove();
    // The Swarm secrets that carried the secret vars (the deploy service is stopped: nobody else removes them).
    for (const s of await docker.listSecrets({ filters: { label: [`slipway.project=${projectId}`] } })) await docker.getSecret(s.ID).remove().catch(() => undefined);
  });

  it('sets plain and secret variables at each level; the API never returns a secret, the event store holds it only sealed', async () => {
    const global = await setGlobal({ key: globalKey('SECRET'), value: secrets.global, secret: true });
    expect(global.vars.find((v) => v.key === globalKey('SECRET'))).toEqual(expect.objectContaining({ value: null, secret: true }));
    await setGlobal({ key: globalKey('PLAIN'), value: 'global plain' });
    await setGlobal({ key: globalKey('SHARED'), value: 'from global' });

    await setEnvVar({ projectId, key: 'PROJECT_SECRET', value: secrets.project, secret: true });
    await setEnvVar({ projectId, key: 'PROJECT_PLAIN', value: 'project plain' });
    await setEnvVar({ projectId, key: globalKey('SHARED'), value: 'from project' });
    await setEnvVar({ serviceId: webId, key: 'SERVICE_SECRET', value: secrets.service, secret: true });
    await setEnvVar({ serviceId: webId, key: globalKey('SHARED'), value: 'from service' });
    const service = await setEnvVar({ serviceId: webId, key: 'SERVICE_PLAIN', value: 'service plain' });

    expect(service).toEqual({
      scope: 'SERVICE',
      projectId,
      serviceId: webId,
      vars: [
        expect.objectContaining({ key: globalKey('SHARED'), value: 'from service', secret: false }),
        expect.objectContaining({ key: 'FROM_CREATION', value: 'created', secret: false }),
        expect.objectContaining({ key: 'SERVICE_PLAIN', value: 'service plain', secret: false }),
        expect.objectContaining({ key: 'SERVICE_SECRET', value: null, secret: true }),
      ],
    });
    expect((await envVars(`projectId: "${projectId}"`)).vars.map(({ key, value, secret }) => ({ key, value, secret }))).toEqual([
      { key: globalKey('SHARED'), value: 'from project', secret: false },
      { key: 'PROJECT_PLAIN', value: 'project plain', secret: false },
      { key: 'PROJECT_SECRET', value: null, secret: true },
    ]);
    const everything = JSON.stringify([
      await envVars(`serviceId: "${webId}"`),
      await envVars(`projectId: "${projectId}"`),
      (await api.request(`{ globalEnvVars { ${LIST} } }`)) as object,
    ]);
    for (const secret of Object.values(secrets)) expect(everything).not.toContain(secret);

    // The event store: the secrets are there, sealed (AES-256-GCM), never in clear.
    const events = (await streamText('project', projectId)) + (await streamText('instance', 'global'));
    for (const secret of Object.values(secrets)) expect(events).not.toContain(secret);
    const sealed = (await store.read({ context: 'project', aggregate: 'project', id: projectId })).events.find(
      (e) => e.type === 'ServiceEnvVarSet' && (e.data.variable as { key: string }).key === 'SERVICE_SECRET',
    );
    expect(sealed?.data.variable).toEqual({
      key: 'SERVICE_SECRET',
      secret: true,
      sealedValue: { alg: 'x25519-aes-256-gcm', for: 'deploy', epk: expect.any(String), iv: expect.any(String), tag: expect.any(String), data: expect.any(String) },
    });
    // Nor does the read model keep them, not even sealed.
    const docs = JSON.stringify(await mongo.db('slipway').collection('env_vars').find({ _id: { $in: ['global', `project:${projectId}`, `service:${webId}`] } as never }).toArray());
    for (const secret of Object.values(secrets)) expect(docs).not.toContain(secret);
    expect(docs).not.toContain('sealedValue');
  });

  it('refuses bad variables, naming the field, and changes nothing', async () => {
    const bad = async (input: Record<string, unknown>) => refusal(`mutation($i: SetEnvVarInput!) { setEnvVar(input: $i) { scope } }`, { i: input });
    expect(await bad({ serviceId: webId, key: '1_STARTS_WITH_A_DIGIT', value: 'x' })).toMatchObject({
      message: 'Key must be letters, digits and "_", not starting with a digit',
      extensions: { code: 'INVALID_COMMAND', field: 'input.key' },
    });
    expect(await bad({ serviceId: webId, key: 'HUGE', value: 'x'.repeat(32 * 1024 + 1) })).toMatchObject({ extensions: { field: 'input.value' } });
    expect(await bad({ serviceId: webId, key: 'EMPTY_SECRET', value: '', secret: true })).toMatchObject({
      message: expect.stringContaining('a secret must not be empty'),
      extensions: { field: 'input.value' },
    });
    expect(await bad({ key: 'NOWHERE', value: 'x' })).toMatchObject({ extensions: { code: 'BAD_USER_INPUT', field: 'input.serviceId' } });
    expect((await envVars(`serviceId: "${webId}"`)).vars.map((v) => v.key)).toEqual([globalKey('SHARED'), 'FROM_CREATION', 'SERVICE_PLAIN', 'SERVICE_SECRET']);
  });

  it('deploys with the merged environment (global < project < service), secrets opened only inside the container', async () => {
    const deployment = await deploy(webId);
    expect(deployment).toMatchObject({ status: 'SUCCEEDED', error: null });
    const env = await containerEnv(deployment.id);
    expect(env).toMatchObject({
      [globalKey('PLAIN')]: 'global plain',
      [globalKey('SECRET')]: secrets.global,
      [globalKey('SHARED')]: 'from service',
      PROJECT_PLAIN: 'project plain',
      PROJECT_SECRET: secrets.project,
      SERVICE_PLAIN: 'service plain',
      SERVICE_SECRET: secrets.service,
      FROM_CREATION: 'created',
      PORT: '3000',
    });
    // security: secret values never appear in docker service inspect, nor in the container's config.
    const inspected = [
      execFileSync('docker', ['service', 'inspect', `${project}-web`], { encoding: 'utf8' }),
      execFileSync('docker', ['inspect', await runningContainer(deployment.id)], { encoding: 'utf8' }),
    ].join('\n');
    for (const secret of Object.values(secrets)) expect(inspected).not.toContain(secret);
    expect(inspected).toContain('SERVICE_PLAIN=service plain');
    // The deployment's snapshot carries the merged environment, secrets sealed.
    const { events } = await store.read({ context: 'deploy', aggregate: 'deployment', id: deployment.id });
    const snapshot = JSON.stringify(events[0].data);
    for (const secret of Object.values(secrets)) expect(snapshot).not.toContain(secret);
    expect(snapshot).toContain('"key":"SERVICE_SECRET","sealedValue"');
    expect((await https.get(deployment.url!)).status).toBe(200);
  });

  it('changes settings that the next deployment applies, and refuses a bad one, naming the field', async () => {
    const { updateServiceSettings } = await api.request<{ updateServiceSettings: Record<string, unknown> }>(
      `mutation($s: ID!, $i: UpdateServiceSettingsInput!) { updateServiceSettings(serviceId: $s, input: $i) { ${SERVICE} } }`,
      { s: webId, i: { replicas: 2, memoryMb: 256, healthCheck: { kind: 'HTTP', path: '/healthz' } } },
    );
    expect(updateServiceSettings).toMatchObject({ replicas: 2, memoryMb: 256, cpu: 0.5, port: 3000, healthCheck: { kind: 'HTTP', path: '/healthz' }, buildStrategy: 'AUTO' });
    expect(
      await refusal(`mutation($s: ID!) { updateServiceSettings(serviceId: $s, input: { replicas: 11 }) { id } }`, { s: webId }),
    ).toMatchObject({
      message: 'Replicas must be 1 to 10',
      extensions: { code: 'INVALID_COMMAND', field: 'input.replicas' },
    });
    await setEnvVar({ serviceId: webId, key: 'SERVICE_PLAIN', value: 'changed' });
    expect(await swarmReplicas()).toBe(1); // settings wait for the next deployment

    const deployment = await deploy(webId);
    expect(deployment).toMatchObject({ status: 'SUCCEEDED', error: null });
    expect(await swarmReplicas()).toBe(2);
    const spec = (await docker.getService(`${project}-web`).inspect()).Spec;
    expect(spec.TaskTemplate.Resources.Limits.MemoryBytes).toBe(256 * 1024 * 1024);
    expect((await containerEnv(deployment.id)).SERVICE_PLAIN).toBe('changed');
  });

  it('adds a domain that routes to the running service at once, and that no other service can take', async () => {
    const added = await api.request<{ addDomain: { domains: string[] } }>(`mutation($s: ID!, $h: String!) { addDomain(serviceId: $s, hostname: $h) { ${SERVICE} } }`, {
      s: webId,
      h: domain.toUpperCase(),
    });
    expect(added.addDomain.domains).toEqual([domain]);
    // No redeployment: routing picks the change up and Caddy gets a certificate for it from Pebble.
    const started = Date.now();
    await waitUntil(`https://${domain}`, async () => (await https.get(`https://${domain}/`, 3_000)).status === 200, 60_000, 500);
    console.log(`custom domain served over HTTPS ${((Date.now() - started) / 1000).toFixed(1)} s after addDomain returned`);

    const taken = await refusal(`mutation($s: ID!, $h: String!) { addDomain(serviceId: $s, hostname: $h) { id } }`, { s: apiId, h: domain });
    expect(taken).toMatchObject({
      message: `${domain} is already a domain of another service; remove it there first`,
      extensions: { code: 'DOMAIN_TAKEN', field: 'hostname' },
    });
    expect(await refusal(`mutation($s: ID!) { addDomain(serviceId: $s, hostname: "not a host") { id } }`, { s: apiId })).toMatchObject({
      message: expect.stringContaining('Hostname must be a lower-case hostname like app.example.com'),
      extensions: { field: 'hostname' },
    });
    expect(await refusal(`mutation($s: ID!) { addDomain(serviceId: $s, hostname: "api-${project}.${BASE_DOMAIN}") { id } }`, { s: apiId })).toMatchObject({
      extensions: { code: 'RESERVED_DOMAIN', field: 'hostname' },
    });
    // Nothing half-done: the other service has no domain, the claim is still the first service's.
    const other = await api.request<{ projects: { id: string; services: { id: string; domains: string[] }[] }[] }>(`{ projects { id services { id domains } } }`);
    expect(other.projects.find((p) => p.id === projectId)!.services.find((s) => s.id === apiId)!.domains).toEqual([]);
    const claim = (await store.read({ context: 'project', aggregate: 'domain', id: domainClaimId(domain) })).events;
    expect(claim.map((e) => [e.type, e.data.serviceId])).toEqual([['DomainClaimed', webId]]);

    // Removed from one service, the name is free for another; the route drops it at once.
    await api.request(`mutation($s: ID!, $h: String!) { removeDomain(serviceId: $s, hostname: $h) { id } }`, { s: webId, h: domain });
    const moved = await api.request<{ addDomain: { domains: string[] } }>(`mutation($s: ID!, $h: String!) { addDomain(serviceId: $s, hostname: $h) { domains } }`, {
      s: apiId,
      h: domain,
    });
    expect(moved.addDomain.domains).toEqual([domain]);
    await waitUntil(`${domain} to stop serving web`, async () => (await https.get(`https://${domain}/`, 3_000).catch(() => ({ status: 0 }))).status !== 200, 20_000, 500);
  });

  it('security: createService checks its domains as addDomain does (an IP address, another service\u2019s automatic name, a taken name)', async () => {
    const create = (name: string, domains: string[]) =>
      refusal(`mutation($i: CreateServiceInput!) { createService(input: $i) { id } }`, {
        i: { projectId, name, port: 3000, source: { image: { ref: `${infraEnv().REGISTRY}/e2e-settings/app:none` } }, domains },
      });
    expect(await create('by-ip', ['127.0.0.1'])).toMatchObject({ message: expect.stringContaining('must be a domain name, not an IP address') });
    expect(await create('by-name', [`web-${project}.${BASE_DOMAIN}`])).toMatchObject({ extensions: { code: 'RESERVED_DOMAIN' } });
    expect(await create('by-taken', [domain])).toMatchObject({ extensions: { code: 'DOMAIN_TAKEN' } });
    // Nothing half-done: none of them exists, and the taken name is still the other service's.
    const { projects } = await api.request<{ projects: { id: string; services: { name: string }[] }[] }>(`{ projects { id services { name } } }`);
    expect(projects.find((p) => p.id === projectId)!.services.map((x) => x.name).sort()).toEqual(['api', 'web']);
    const claim = (await store.read({ context: 'project', aggregate: 'domain', id: domainClaimId(domain) })).events;
    expect(claim.at(-1)).toMatchObject({ type: 'DomainClaimed', data: { serviceId: apiId } });
  });
});
