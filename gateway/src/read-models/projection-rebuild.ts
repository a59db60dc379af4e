import type { EventStore, StoredEvent } from '@slipway/event-store';
import type { ReadStore } from '../read-store';
import { handles, nextDocument, type Projection, type StoredDocument } from './projection';

/**
 * The events of several sources in the order they happened, each source's own order kept. Not a
 * sort by time: `occurredAt` is the clock of the process that decided an event, and two events of
 * one stream can carry times in the other order (a comment's failure stamped 5 ms before the
 * destroy request appended ahead of it). Sorted, the later one was applied first and the position
 * check then dropped the earlier one: a rebuilt preview lost its destroy reason.
 */
export const interleave = (sources: StoredEvent[][]): StoredEvent[] => {
  const next = sources.map(() => 0);
  const out: StoredEvent[] = [];
  for (;;) {
    let pick = -1;
    sources.forEach((events, i) => {
      if (next[i] < events.length && (pick < 0 || events[next[i]].occurredAt < sources[pick][next[pick]].occurredAt)) pick = i;
    });
    if (pick < 0) return out;
    out.push(sources[pick][next[pick]++]);
  }
};

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
  const sources: StoredEvent[][] = [];
  for (const source of projection.sources) sources.push(await store.readAll(source)); // one read at a time, as before
  const events = interleave(sources);
  // In memory, then each document written once: the live runner's read and write per event took
  // minutes over a long history (FerretDB, a few ms a call), for documents nobody reads meanwhile.
  const documents = new Map<string, StoredDocument & Record<string, unknown>>();
  let applied = 0;
  for (const event of events) {
    if (!handles(projection, event.type)) continue;
    applied++;
    const id = projection.documentId(event);
    if (!id) continue;
    const next = nextDocument(projection, id, documents.get(id) ?? null, event);
    if (next) documents.set(id, next);
  }
  const all = [...documents.values()];
  for (let i = 0; i < all.length; i += 500) await db.collection<StoredDocument>(collection).insertMany(all.slice(i, i + 500));
  return { events: applied, documents: all.length };
};

/**
 * Rebuilds into a scratch collection, then replaces the documents with it. The caller is the
 * projection's writer with its consumers paused (ProjectionRunner.rebuild, or an upgrade before
 * they resume); `mayWrite` says whether it still is, right before the swap.
 */
export const rebuildInPlace = async (
  projection: Projection<object>,
  store: EventStore,
  readStore: ReadStore,
  mayWrite: () => boolean = () => true,
): Promise<{ events: number; documents: number }> => {
  const scratch = `${projection.collection}__rebuild`;
  const result = await rebuildProjection(projection, store, readStore, scratch);
  const db = await readStore.db();
  if (!mayWrite()) {
    await db.collection(scratch).drop().catch(() => undefined);
    throw new Error(`${projection.name}: lost the writer lease during the rebuild; nothing was replaced`);
  }
  const rebuilt = await db.collection(scratch).find({}).toArray();
  await db.collection(projection.collection).deleteMany({});
  if (rebuilt.length) await db.collection(projection.collection).insertMany(rebuilt);
  await db.collection(scratch).drop().catch(() => undefined);
  return result;
};
