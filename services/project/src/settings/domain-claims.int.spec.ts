import { randomUUID } from 'node:crypto';
import { connect, type NatsConnection } from '@nats-io/transport-node';
import { JetStreamEventStore } from '@slipway/event-store';
import { busCredentials, DomainError } from '@slipway/messaging';
import { domainClaimId, type CommandMetadata } from '@slipway/proto';
import { infraEnv } from '@slipway/testing';
import { claimDomain, releaseDomain } from './domain-claims';

const metadata = (): CommandMetadata => {
  const commandId = randomUUID();
  return { commandId, correlationId: commandId, actor: { kind: 'user', id: 'int-test' }, now: new Date().toISOString() };
};

/** Against the real JetStream: the claim stream's expected version is what keeps a hostname to one service. */
describe('domain claims', () => {
  let nc: NatsConnection;
  let store: JetStreamEventStore;
  beforeAll(async () => {
    nc = await connect({ servers: infraEnv().NATS_URL, ...busCredentials('operator') });
    store = await JetStreamEventStore.create(nc);
  });
  afterAll(async () => nc?.close());

  it('gives a hostname wanted by eight services at once to exactly one of them', async () => {
    const hostname = `race-${randomUUID().slice(0, 8)}.example.test`;
    const outcomes = await Promise.allSettled(
      Array.from({ length: 8 }, (_, i) => claimDomain(store, { hostname, projectId: 'p_int', serviceId: `s_${i}` }, metadata())),
    );
    const won = outcomes.filter((o) => o.status === 'fulfilled');
    expect(won).toHaveLength(1);
    for (const lost of outcomes.filter((o): o is PromiseRejectedResult => o.status === 'rejected')) {
      expect(lost.reason).toBeInstanceOf(DomainError);
      expect(lost.reason).toMatchObject({ code: 'DOMAIN_TAKEN', field: 'hostname' });
    }
    const { events } = await store.read({ context: 'project', aggregate: 'domain', id: domainClaimId(hostname) });
    expect(events.map((e) => e.type)).toEqual(['DomainClaimed']);
    const winner = String(events[0].data.serviceId);

    // Another service's release changes nothing; the holder's frees it for the next.
    await releaseDomain(store, { hostname, serviceId: winner === 's_0' ? 's_1' : 's_0' }, metadata());
    await expect(claimDomain(store, { hostname, projectId: 'p_int', serviceId: 's_9' }, metadata())).rejects.toThrow(/already a domain of another service/);
    await releaseDomain(store, { hostname, serviceId: winner }, metadata());
    expect(await claimDomain(store, { hostname, projectId: 'p_int', serviceId: 's_9' }, metadata())).toBe(true);
  });
});
