import { connect, type NatsConnection } from '@nats-io/transport-node';
import { startScratchNats, waitUntil, type ScratchNats } from '@slipway/testing';
import { eventStoreContract, requested } from './event-store.contract';
import { JetStreamEventStore } from './jetstream.adapter';

// Its own nats-server: the contract appends events of real types (DeploymentRequested, …) with
// made-up ids, which the platform's services would act on from the shared history.
let nats: ScratchNats | undefined;
let nc: NatsConnection | undefined;
afterAll(async () => {
  await nc?.close();
  await nats?.stop();
});

eventStoreContract('JetStream', async () => {
  nats ??= await startScratchNats();
  nc ??= await connect({ servers: nats.url });
  return JetStreamEventStore.create(nc);
});

describe('JetStream subscriptions: a long handler keeps its event', () => {
  it('is not handed the same event again while its handler runs past the ack wait', async () => {
    nats ??= await startScratchNats();
    nc ??= await connect({ servers: nats.url });
    const store = await JetStreamEventStore.create(nc);
    const durable = `long-${Date.now().toString(36)}`;
    const id = `d_long${Date.now().toString(36)}`;
    const starts: number[] = [];
    // The first delivery runs three ack waits long; nothing else may start meanwhile.
    const sub = await store.subscribe(
      durable,
      { context: 'deploy' },
      async (e) => {
        if (e.aggregateId !== id) return;
        starts.push(Date.now());
        if (starts.length === 1) await new Promise((r) => setTimeout(r, 3_000));
      },
      { ackWaitMs: 1_000 },
    );
    await store.append({ context: 'deploy', aggregate: 'deployment', id }, [requested({ context: 'deploy', aggregate: 'deployment', id })], 0);
    await waitUntil('the first delivery to end', () => starts.length >= 1, 5_000);
    await new Promise((r) => setTimeout(r, 3_500));
    expect(starts).toHaveLength(1);
    await sub.stop();
  }, 20_000);
});
