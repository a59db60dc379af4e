import { connect, type NatsConnection } from '@nats-io/transport-node';
import { JetStreamEventStore } from '@slipway/event-store';
import { newCommandMetadata } from '@slipway/messaging';
import { startScratchNats, type ScratchNats } from '@slipway/testing';
import { previews } from './preview.aggregate';
import { expireIdlePreviews } from './preview-expiry';

/** The expiry sweep against a real JetStream store (a scratch NATS of its own): idle ones go, active ones stay. */
describe('preview expiry', () => {
  let nats: ScratchNats;
  let nc: NatsConnection;
  let store: JetStreamEventStore;

  beforeAll(async () => {
    nats = await startScratchNats();
    nc = await connect({ servers: nats.url });
    store = await JetStreamEventStore.create(nc);
  }, 60_000);
  afterAll(async () => {
    await nc?.close();
    await nats?.stop();
  });

  const open = (previewId: string, number: number, now: string, fromFork = false) =>
    previews.handle(
      store,
      previewId,
      {
        type: 'OpenPreview',
        data: {
          previewId,
          projectId: 'p_exp',
          slug: `pr-${number}`,
          number,
          title: `PR ${number}`,
          provider: 'gitea',
          htmlUrl: null,
          repositoryUrl: 'http://127.0.0.1:3300/acme/shop.git',
          headRef: 'feature',
          headSha: 'a'.repeat(40),
          fromFork,
          approvalNeeded: fromFork,
          idleDays: 7,
          manual: false,
        },
        now,
      },
      newCommandMetadata({ kind: 'service', id: 'test' }),
    );

  it('expires a preview idle for its 7 days (a fork waiting for approval too), keeps one pushed to since, and tears each expired one down', async () => {
    await open('p_exp-pr-1', 1, '2026-11-01T00:00:00.000Z');
    await open('p_exp-pr-2', 2, '2026-11-01T00:00:00.000Z', true);
    await open('p_exp-pr-3', 3, '2026-11-01T00:00:00.000Z');
    await previews.handle(store, 'p_exp-pr-3', { type: 'MoveHead', data: { previewId: 'p_exp-pr-3', headSha: 'b'.repeat(40), idleDays: 7 }, now: '2026-11-06T00:00:00.000Z' }, newCommandMetadata({ kind: 'service', id: 'test' }));

    const now = new Date('2026-11-09T00:00:00.000Z');
    expect((await expireIdlePreviews(store, now)).sort()).toEqual(['p_exp-pr-1', 'p_exp-pr-2']);
    const one = await store.read(previews.stream('p_exp-pr-1'));
    expect(one.events.map((e) => e.type)).toEqual(['PreviewRequested', 'PreviewExpired', 'PreviewDestroyRequested']);
    expect(one.events[2].data).toMatchObject({ reason: 'expired' });
    expect((await previews.load(store, 'p_exp-pr-3')).state.status).toBe('running');
    // A second sweep finds nothing more to do.
    expect(await expireIdlePreviews(store, now)).toEqual([]);
    // Its own expiry comes 7 days after the push.
    expect(await expireIdlePreviews(store, new Date('2026-11-13T00:00:01.000Z'))).toEqual(['p_exp-pr-3']);
  });
});
