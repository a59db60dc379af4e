import { randomUUID } from 'node:crypto';
import { connect, type NatsConnection } from '@nats-io/transport-node';
import { infraEnv, waitUntil } from '@slipway/testing';
import { ReadStore } from '../read-store';
import { revHeaders, ViewCache } from './view-cache';
import { viewSubject } from '@slipway/proto';
import { busCredentials } from '@slipway/messaging';

/** The view cache against the real FerretDB and NATS: loaded from the store, kept current by announcements, newest revision wins. */
describe('view cache', () => {
  let nc: NatsConnection;
  let readStore: ReadStore;
  let cache: ViewCache;
  const id = `p_cache_${randomUUID().slice(0, 8)}`;

  beforeAll(async () => {
    nc = await connect({ servers: infraEnv().NATS_URL, ...busCredentials('operator') });
    readStore = new ReadStore(infraEnv().MONGO_URL);
    await (await readStore.db()).collection<{ _id: string }>('projects').insertOne({ _id: id, id, name: 'cached', createdAt: '2026-11-28T00:00:00.000Z', _rev: 3 } as never);
    cache = new ViewCache(readStore);
    await cache.start();
    await cache.follow(nc);
  });

  afterAll(async () => {
    await cache.stop();
    await (await readStore.db()).collection<{ _id: string }>('projects').deleteOne({ _id: id });
    await readStore.close();
    await nc.close();
  });

  const announce = (name: string, rev: number) => nc.publish(viewSubject('projects', id), JSON.stringify({ _id: id, id, name }), { headers: revHeaders(rev) });

  it('starts with what the store holds, without bookkeeping fields', () => {
    expect(cache.get('projects', id)).toEqual({ id, name: 'cached', createdAt: '2026-11-28T00:00:00.000Z' });
  });

  it('follows newer announcements and ignores older ones, whatever their order', async () => {
    announce('renamed', 5);
    await waitUntil('the announcement', () => cache.get<{ name: string }>('projects', id)?.name === 'renamed', 2_000, 5);
    announce('stale', 4);
    await nc.flush();
    await new Promise((r) => setTimeout(r, 50));
    expect(cache.get<{ name: string }>('projects', id)?.name).toBe('renamed');
  });

  it('keeps an announced revision newer than the store when it reloads', async () => {
    await cache.reload();
    expect(cache.get<{ name: string }>('projects', id)?.name).toBe('renamed');
    await (await readStore.db()).collection<{ _id: string }>('projects').updateOne({ _id: id }, { $set: { name: 'from-store', _rev: 9 } });
    await cache.reload();
    expect(cache.get<{ name: string }>('projects', id)?.name).toBe('from-store');
  });

  it('fetches from the store a document written since it loaded whose announcement has not come, and keeps it', async () => {
    const late = `p_cache_${randomUUID().slice(0, 8)}`;
    const projects = (await readStore.db()).collection<{ _id: string }>('projects');
    await projects.insertOne({ _id: late, id: late, name: 'late', _rev: 1 } as never);
    try {
      expect(cache.get('projects', late)).toBeUndefined();
      expect(await cache.fetch('projects', late)).toEqual({ id: late, name: 'late' });
      expect(cache.get('projects', late)).toEqual({ id: late, name: 'late' });
      expect(await cache.fetch('projects', `p_cache_missing_${randomUUID().slice(0, 8)}`)).toBeUndefined();
    } finally {
      await projects.deleteOne({ _id: late });
    }
  });
});
