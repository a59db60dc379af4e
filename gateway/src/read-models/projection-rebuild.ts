import type { EventStore, StoredEvent } from '@slipway/event-store';
import type { ReadStore } from '../read-store';
import { handles, type Projection } from './projection';
import { ProjectionRunner } from './projection-runner';

/**
 * A projection's documents computed again from the first event, into `collection` (a scratch
 * collection: the caller compares or swaps). Events of all its sources in the order they happened;
 * the projection's per-stream positions make any interleaving of streams give the same documents.
 */
export const rebuildProjection = async (
  projection: Projection<object>,
  store: EventStore,
  readStore: ReadStore,
  collection: string,
): Promise<{ events: number; documents: number }> => {
  const db = await readStore.db();
  await db.collection(collection).deleteMany({});
  const events: StoredEvent[] = [];
  for (const source of projection.sources) events.push(...(await store.readAll(source)));
  events.sort((a, b) => a.occurredAt.localeCompare(b.occurredAt));
  const runner = new ProjectionRunner({ ...projection, collection }, readStore);
  let applied = 0;
  for (const event of events) {
    if (!handles(projection, event.type)) continue;
    await runner.apply(event);
    applied++;
  }
  return { events: applied, documents: await db.collection(collection).countDocuments() };
};

/** Rebuilds into a scratch collection, then replaces the documents with it. */
export const rebuildInPlace = async (projection: Projection<object>, store: EventStore, readStore: ReadStore): Promise<{ events: number; documents: number }> => {
  const scratch = `${projection.collection}__rebuild`;
  const result = await rebuildProjection(projection, store, readStore, scratch);
  const db = await readStore.db();
  const rebuilt = await db.collection(scratch).find({}).toArray();
  await db.collection(projection.collection).deleteMany({});
  if (rebuilt.length) await db.collection(projection.collection).insertMany(rebuilt);
  await db.collection(scratch).drop().catch(() => undefined);
  return result;
};

/**
 * The admin operation. The live consumers are paused meanwhile, so nothing they write is lost in
 * the swap; events that both the rebuild and the resumed consumers see are skipped by the position guard.
 */
export const rebuildLiveProjection = async (
  projection: Projection<object>,
  store: EventStore,
  readStore: ReadStore,
  live: ProjectionRunner<object>,
): Promise<{ events: number; documents: number }> => {
  await live.stop();
  try {
    return await rebuildInPlace(projection, store, readStore);
  } finally {
    await live.start(store);
  }
};
