import { randomUUID } from 'node:crypto';
import { connect, type NatsConnection } from '@nats-io/transport-node';
import { JetStreamEventStore } from '@slipway/event-store';
import { commandSubject, RequestDeployment } from '@slipway/proto';
import { infraEnv, startPlatformProcesses, waitUntil, type PlatformProcess } from '@slipway/testing';
import { createCatalogFixture } from './catalog.fixture';
import { newCommandMetadata, sendCommand } from './command-bus';
import { CommandRejected } from './command-errors';
import { busCredentials } from './nats-auth';

const actor = { kind: 'user', id: 'u_e2e' } as const;
const deployment = (id: string) => ({ context: 'deploy', aggregate: 'deployment', id }) as const;
const build = (id: string) => ({ context: 'build', aggregate: 'build', id }) as const;

describe('commands and events through the real services', () => {
  let nc: NatsConnection;
  let store: JetStreamEventStore;
  let services: PlatformProcess[];

  beforeAll(async () => {
    nc = await connect({ servers: infraEnv().NATS_URL, ...busCredentials('operator') });
    store = await JetStreamEventStore.create(nc);
    services = await startPlatformProcesses(['project', 'deploy', 'quota', 'build']);
  });
  afterAll(async () => {
    await Promise.all(services.map((s) => s.stop()));
    await nc.close();
  });

  it('requests a deployment; the quota reserves for it, then the build service reacts with one build, correlated', async () => {
    const { projectId, serviceId, projectName } = await createCatalogFixture(nc, {
      source: { kind: 'git', url: 'file:///srv/git/shop.git', ref: 'main' },
    });
    const deploymentId = `d_${randomUUID().slice(0, 12)}`;
    const metadata = newCommandMetadata(actor);
    const result = await sendCommand(nc, RequestDeployment, { deploymentId, serviceId, projectId }, metadata);
    expect(result).toEqual({ deploymentId });

    const [requested] = (await store.read(deployment(deploymentId))).events;
    expect(requested).toMatchObject({
      type: 'DeploymentRequested',
      correlationId: metadata.correlationId,
      causationId: metadata.commandId,
      actor,
      data: { deploymentId, projectName, serviceName: 'web', trigger: { kind: 'manual' }, spec: { port: 3000 } },
    });

    const requests = async () => (await store.read(build(deploymentId))).events.filter((e) => e.type === 'BuildRequested');
    await waitUntil('BuildRequested', async () => (await requests()).length > 0);
    const reserved = (await store.read({ context: 'quota', aggregate: 'project-quota', id: projectId })).events.find((e) => e.data.deploymentId === deploymentId);
    expect(reserved).toMatchObject({ type: 'ResourcesReserved', correlationId: metadata.correlationId, causationId: requested.id, actor: { kind: 'service', id: 'quota' } });
    const events = await requests();
    expect(events).toHaveLength(1);
    expect(events[0]).toMatchObject({
      type: 'BuildRequested',
      correlationId: metadata.correlationId,
      causationId: reserved!.id,
      actor: { kind: 'service', id: 'build' },
      data: {
        buildId: deploymentId,
        deploymentId,
        serviceId,
        projectId,
        source: { kind: 'git', url: 'file:///srv/git/shop.git', ref: 'main' },
        dockerfilePath: 'Dockerfile',
      },
    });
  });

  it('refuses the same deployment twice, or one of an unknown service, with a domain error', async () => {
    const { projectId, serviceId, projectName } = await createCatalogFixture(nc);
    const deploymentId = `d_${randomUUID().slice(0, 12)}`;
    const data = { deploymentId, serviceId, projectId };
    await sendCommand(nc, RequestDeployment, data, newCommandMetadata(actor));
    const again = sendCommand(nc, RequestDeployment, data, newCommandMetadata(actor));
    await expect(again).rejects.toMatchObject({ code: 'DEPLOYMENT_EXISTS', field: 'deploymentId' });
    expect((await store.read(deployment(deploymentId))).events).toHaveLength(1);

    const unknown = sendCommand(nc, RequestDeployment, { ...data, deploymentId: 'd_other', serviceId: 's_nope' }, newCommandMetadata(actor));
    await expect(unknown).rejects.toMatchObject({ code: 'SERVICE_NOT_FOUND', message: `Project ${projectName} has no service s_nope` });
    expect((await store.read(deployment('d_other'))).events).toHaveLength(0);
  });

  it('names the field of a malformed command and appends nothing', async () => {
    const deploymentId = `d_${randomUUID().slice(0, 12)}`;
    const attempt = sendCommand(nc, RequestDeployment, { deploymentId, projectId: 'p_shop' }, newCommandMetadata(actor));
    await expect(attempt).rejects.toThrow(CommandRejected);
    await expect(
      sendCommand(nc, RequestDeployment, { deploymentId, serviceId: 'has space', projectId: 'p' }, newCommandMetadata(actor)),
    ).rejects.toMatchObject({ code: 'INVALID_COMMAND', field: 'data.serviceId' });
    await expect(attempt).rejects.toMatchObject({ code: 'INVALID_COMMAND', field: 'data.serviceId' });
    expect(await store.read(deployment(deploymentId))).toEqual({ events: [], version: 0 });
  });

  it('answers broken JSON, a bad envelope and unknown commands with clear errors', async () => {
    const raw = async (name: string, body: string) =>
      (await nc.request(commandSubject('deploy', name), body, { timeout: 5_000 })).json<{ ok: boolean; error: { code: string; message: string } }>();

    expect(await raw('request-deployment', '{not json')).toMatchObject({ ok: false, error: { code: 'MALFORMED_COMMAND' } });
    const noMetadata = await raw('request-deployment', JSON.stringify({ data: {} }));
    expect(noMetadata.error).toMatchObject({ code: 'MALFORMED_COMMAND', message: expect.stringContaining('metadata') });
    const unknown = await raw('launch-rocket', JSON.stringify({ data: {}, metadata: newCommandMetadata(actor) }));
    expect(unknown.error.code).toBe('UNKNOWN_COMMAND');
    expect(unknown.error.message).toBe(
      'The deploy service has no command "launch-rocket" (it knows: cancel-deployment, deploy-project, list-service-volumes, request-deployment)',
    );
  });

  it('says which service is not running when nobody answers', async () => {
    // The routing service is not among those this file starts.
    const attempt = sendCommand(nc, { context: 'routing', name: 'add-route' }, {}, newCommandMetadata(actor), { timeoutMs: 2_000 });
    await expect(attempt).rejects.toMatchObject({
      code: 'SERVICE_UNAVAILABLE',
      message: 'The routing service is not running; start Slipway with `npm start`',
    });
  });
});
