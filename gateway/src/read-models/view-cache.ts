import { Logger } from '@nestjs/common';
import { headers as natsHeaders, type NatsConnection, type Subscription } from '@nats-io/transport-node';
import type { ReadStore } from '../read-store';
import { strip } from './projection-runner';
import { viewSubject } from '@slipway/proto';

/** The read models every request touches: who is asking, and the projects page with each service's latest deployment. */
export const cachedCollections = ['projects', 'services', 'users', 'members', 'credentials', 'deployments'] as const;
export type CachedCollection = (typeof cachedCollections)[number];

/**
 * The collections that say who is asking and what they may do (authentication and roles read them
 * from this cache). Anyone who can publish on NATS could announce a made-up credential, account
 * or membership, so an announcement of one of these is only a hint: the cache reads that document
 * from the store, and holds nothing the store does not.
 */
export const storeOnlyCollections: ReadonlySet<CachedCollection> = new Set(['credentials', 'users', 'members']);

export const REV_HEADER = 'Slipway-Rev';

type Entry = { doc: Record<string, unknown>; rev: number };

/** The document as resolvers see it: no _id, revision or positions. */
const bare = ({ _id: _i, ...doc }: Record<string, unknown>) => strip(doc) as Record<string, unknown>;

/**
 * An in-memory copy of the hot read models, in every gateway instance. FerretDB (on SQLite) reads
 * and decodes the whole table for any filter but a bare _id (bench/gateway: a `projects` answer
 * over 1,000 services cost 300 ms of store time); the projects page and every request's
 * credentials and memberships read many documents. Here they cost none:
 * - filled from the store once at start, then kept current by the documents that projections
 *   announce on NATS after each write (from any gateway instance); credentials, users and members
 *   are read again from the store by _id instead (storeOnlyCollections);
 * - a newer revision always wins, so announcements arriving out of order change nothing;
 * - reloaded every minute and after NATS reconnects, since core NATS may drop an announcement;
 * - mutations offer what they read back (awaitView), so a caller always reads its own writes.
 */
export class ViewCache {
  private readonly log = new Logger('view-cache');
  private readonly entries = new Map<CachedCollection, Map<string, Entry>>(cachedCollections.map((c) => [c, new Map()]));
  private subscriptions: Subscription[] = [];
  private timer?: NodeJS.Timeout;
  private loaded?: Promise<void>;
  /** Bumped by every read-model change this gateway hears of (any collection, or found by a reload). */
  version = 0;
  private readonly listeners = new Set<(collection: CachedCollection) => void>();

  constructor(
    private readonly readStore: ReadStore,
    private readonly reloadEveryMs = 60_000,
  ) {}

  /** Loads now (the store may be up before NATS); follows announcements once NATS is there. */
  start(): Promise<void> {
    this.timer = setInterval(() => void this.reload(), this.reloadEveryMs).unref();
    this.loaded = this.reload();
    return this.loaded;
  }

  /** Subscribes, then loads again: a document written before the subscription is not missed. */
  follow(nc: NatsConnection): Promise<void> {
    for (const collection of cachedCollections) {
      const prefix = viewSubject(collection, '');
      const sub = nc.subscribe(viewSubject(collection, '*'), {
        callback: (err, m) => {
          if (err) return;
          if (storeOnlyCollections.has(collection)) void this.reread(collection, m.subject.slice(prefix.length));
          else this.apply(collection, m.json<Record<string, unknown>>(), Number(m.headers?.get(REV_HEADER) ?? 0));
        },
      });
      this.subscriptions.push(sub);
    }
    this.subscriptions.push(nc.subscribe(viewSubject('*', '*'), { callback: () => void this.version++ }));
    return this.reload();
  }

  /** Resolves once the first load is done (every request waits for it). */
  ready(): Promise<void> {
    return this.loaded ?? Promise.reject(new Error('view cache not started'));
  }

  async reload(): Promise<void> {
    try {
      const db = await this.readStore.db();
      for (const collection of cachedCollections) {
        const docs = await db.collection<{ _id: string; _rev?: number }>(collection).find({}).toArray();
        const fresh = new Map(docs.map((d) => [d._id, { doc: bare(d), rev: d._rev ?? 0 }]));
        const current = this.entries.get(collection)!;
        // Keep what an announcement brought in meanwhile, if it is newer than what was read.
        for (const [id, entry] of current) if ((fresh.get(id)?.rev ?? -1) < entry.rev) fresh.set(id, entry);
        const changed = fresh.size !== current.size || [...fresh].some(([id, entry]) => current.get(id)?.rev !== entry.rev);
        this.entries.set(collection, fresh);
        if (changed) this.changed(collection);
      }
    } catch (err) {
      this.log.warn(`could not reload: ${err}`);
    }
  }

  /** A document this gateway has just read from the store itself (a mutation's read-back): never one announced. */
  offer(collection: string, doc: Record<string, unknown>, rev: number, id = String(doc._id ?? doc.id ?? doc.tokenHash ?? '')): void {
    this.apply(collection, doc, rev, id);
  }

  private apply(collection: string, doc: Record<string, unknown>, rev: number, id = String(doc._id ?? doc.id ?? doc.tokenHash ?? '')): void {
    const entries = this.entries.get(collection as CachedCollection);
    if (!entries || !id) return;
    const current = entries.get(id);
    if (!current || current.rev <= rev) {
      entries.set(id, { doc: bare(doc), rev });
      this.changed(collection as CachedCollection);
    }
  }

  /** Calls `listener` after a cached collection changed (an announcement, a read-back or a reload). */
  onChange(listener: (collection: CachedCollection) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  private changed(collection: CachedCollection) {
    this.version++;
    for (const listener of this.listeners) listener(collection);
  }

  get<T>(collection: CachedCollection, id: string): T | undefined {
    return this.entries.get(collection)!.get(id)?.doc as T | undefined;
  }

  /**
   * The cached document, or else the store's (by _id: one indexed lookup), kept from then on. For
   * a document another gateway wrote a moment ago whose announcement has not arrived yet: a session
   * opened on one gateway must work on the next request, whichever gateway takes it.
   */
  async fetch<T>(collection: CachedCollection, id: string): Promise<T | undefined> {
    const cached = this.get<T>(collection, id);
    if (cached !== undefined) return cached;
    await this.readFromStore(collection, id);
    return this.get<T>(collection, id);
  }

  private async readFromStore(collection: CachedCollection, id: string): Promise<void> {
    const found = await (await this.readStore.db()).collection<{ _id: string; _rev?: number }>(collection).findOne({ _id: id });
    if (found) this.apply(collection, found, found._rev ?? 0, found._id);
  }

  private readonly rereads = new Map<string, { again: boolean }>();

  /**
   * An announced document read again from the store: one read per document at a time, and one
   * more after it when announcements came meanwhile (a burst of them costs two reads, not one each).
   */
  private async reread(collection: CachedCollection, id: string): Promise<void> {
    const key = `${collection}/${id}`;
    const running = this.rereads.get(key);
    if (running) return void (running.again = true);
    const state = { again: true };
    this.rereads.set(key, state);
    try {
      while (state.again) {
        state.again = false;
        await this.readFromStore(collection, id);
      }
    } catch (err) {
      this.log.warn(`could not read ${collection} ${id} after its announcement (the next reload will): ${err}`);
    } finally {
      this.rereads.delete(key);
    }
  }

  all<T>(collection: CachedCollection): T[] {
    return [...this.entries.get(collection)!.values()].map((e) => e.doc as T);
  }

  private memo = new Map<string, { version: number; value: unknown }>();

  /** A value derived from the cache, computed again only after a change. */
  derived<T>(name: string, compute: () => T): T {
    const hit = this.memo.get(name);
    if (hit?.version === this.version) return hit.value as T;
    const value = compute();
    this.memo.set(name, { version: this.version, value });
    return value;
  }

  async stop(): Promise<void> {
    clearInterval(this.timer);
    for (const sub of this.subscriptions) sub.unsubscribe();
    this.subscriptions = [];
  }
}

export const revHeaders = (rev: number) => {
  const h = natsHeaders();
  h.set(REV_HEADER, String(rev));
  return h;
};
