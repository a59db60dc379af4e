import { connect, type NatsConnection } from '@nats-io/transport-node';
import { infraEnv } from '@slipway/testing';
import { eventStoreContract } from './event-store.contract';
import { JetStreamEventStore } from './jetstream.adapter';

let nc: NatsConnection;
afterAll(async () => {
  await nc?.close();
});

eventStoreContract('JetStream', async () => {
  nc = await connect({ servers: infraEnv().NATS_URL });
  return JetStreamEventStore.create(nc);
});
