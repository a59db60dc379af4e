import { connect, type NatsConnection } from '@nats-io/transport-node';
import { startScratchNats, type ScratchNats } from '@slipway/testing';
import { eventStoreContract } from './event-store.contract';
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
