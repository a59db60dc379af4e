import { randomUUID } from 'node:crypto';
import { connect, type NatsConnection } from '@nats-io/transport-node';
import { JetStreamEventStore } from '@slipway/event-store';
import { RequestDeployment } from '@slipway/proto';
import { infraEnv, infraScript, startPlatformProcess, startPlatformProcesses, waitUntil, type PlatformProcess } from '@slipway/testing';
import { createCatalogFixture } from './catalog.fixture';
import { newCommandMetadata, sendCommand } from './command-bus';
import { busCredentials } from './nats-auth';

/**
 * Stops and starts the real NATS server (infra/scripts/nats.sh) under running services: they must
 * stay up, report not-ready, and recover by themselves — commands and durable consumers included.
 */
describe('services outlive a NATS outage', () => {
  let services: PlatformProcess[] = [];
  let nc: NatsConnection | undefined;

  afterAll(async () => {
    infraScript('nats', 'start');
    await Promise.all(services.map((s) => s.stop()));
    await nc?.close();
  });

  it('reports not-ready while NATS is down, recovers when it returns, and boots without it', async () => {
    services = await startPlatformProcesses(['project', 'deploy', 'build']);

    infraScript('nats', 'stop');
    for (const s of services) {
      await waitUntil(`${s.name} to notice the outage`, async () => (await s.health()).status === 503, 20_000);
      expect((await s.health()).body).toMatchObject({ status: 'not-ready', nats: 'disconnected' });
    }
    // A service that starts while NATS is down boots, answers health, and waits.
    const quota = await startPlatformProcess('quota', { waitForReady: false });
    services.push(quota);
    await waitUntil('quota health to answer', async () => (await quota.health()).status === 503);
    expect((await quota.health()).body).toMatchObject({ status: 'not-ready', nats: 'connecting' });

    infraScript('nats', 'start');
    for (const s of services) {
      await waitUntil(`${s.name} to recover`, async () => (await s.health()).status === 200, 30_000);
      expect(s.alive()).toBe(true);
    }

    // Commands and the build service's durable consumer work again.
    nc = await connect({ servers: infraEnv().NATS_URL, ...busCredentials('operator') });
    const store = await JetStreamEventStore.create(nc);
    const { projectId, serviceId } = await createCatalogFixture(nc, { source: { kind: 'git', url: 'file:///srv/git/a.git', ref: 'main' } });
    const deploymentId = `d_${randomUUID().slice(0, 12)}`;
    await sendCommand(nc, RequestDeployment, { deploymentId, serviceId, projectId }, newCommandMetadata({ kind: 'user', id: 'u' }));
    await waitUntil(
      'BuildRequested after the outage',
      async () => (await store.read({ context: 'build', aggregate: 'build', id: deploymentId })).events.some((e) => e.type === 'BuildRequested'),
      20_000,
    );
  });
});
