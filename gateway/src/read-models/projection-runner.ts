import { Logger } from '@nestjs/common';
import type { Collection, Document } from 'mongodb';
import type { EventStore, StoredEvent, Subscription } from '@slipway/event-store';
import type { PlatformConnection } from '@slipway/messaging';
import type { ReadStore } from '../read-store';
import { handles, nextDocument, type Projection, type StoredDocument as Stored } from './projection';
import { revHeaders } from './view-cache';
import { viewSubject } from '@slipway/proto';

/**
 * One write at a time per document in this process. Two consumers (deploy and build events) update
 * the same deployment document, and FerretDB's conditional replace is not atomic under concurrency:
 * measured, a `_rev`-guarded replace let two writers both write rev 3 and one update was lost.
 */
const documentLocks = new Map<string, Promise<unknown>>();
const withDocumentLock = async <T>(key: string, work: () => Promise<T>): Promise<T> => {
  const previous = documentLocks.get(key) ?? Promise.resolve();
  const current = previous.catch(() => undefined).then(work);
  documentLocks.set(key, current);
  try {
    return await current;
  } finally {
    if (documentLocks.get(key) === current) documentLocks.delete(key);
  }
};

/**
 * Keeps one projection's documents in MongoDB from durable consumers, then announces each new
 * document on NATS, so subscriptions and view caches (on any gateway instance) follow it.
 */
export class ProjectionRunner<Doc extends object> {
  private readonly log: Logger;
  private subscriptions: Subscription[] = [];

  constructor(
    private readonly projection: Projection<Doc>,
    private readonly readStore: ReadStore,
    /** Absent in tests that run a projection without announcing its documents. */
    private readonly platform?: PlatformConnection,
  ) {
    this.log = new Logger(`projection:${projection.name}`);
  }

  async start(store: EventStore): Promise<void> {
    for (const source of this.projection.sources) {
      const durable = `gateway-${this.projection.name}-${source.context}`;
      this.subscriptions.push(
        await store.subscribe(durable, source, async (event) => {
          if (handles(this.projection, event.type)) await this.apply(event);
        }),
      );
    }
  }

  async stop(): Promise<void> {
    await Promise.all(this.subscriptions.map((s) => s.stop()));
    this.subscriptions = [];
  }

  async apply(event: StoredEvent): Promise<void> {
    const id = this.projection.documentId(event);
    if (!id) return;
    await withDocumentLock(`${this.projection.collection}/${id}`, () => this.applyTo(id, event));
  }

  private async applyTo(id: string, event: StoredEvent): Promise<void> {
    const collection = (await this.readStore.db()).collection<Stored & Document>(this.projection.collection);
    for (let attempt = 1; attempt <= 5; attempt++) {
      const current = await collection.findOne({ _id: id });
      const doc = nextDocument(this.projection, id, current, event);
      if (!doc) return;
      if (await this.write(collection, current, doc)) {
        this.announce(id, strip(doc), doc._rev);
        return;
      }
    }
    throw new Error(`${this.projection.name}: document ${id} kept changing under us; will retry`);
  }

  private async write(collection: Collection<Stored & Document>, current: Stored | null, doc: Stored & Document) {
    if (!current) {
      try {
        await collection.insertOne(doc);
        return true;
      } catch (err) {
        if ((err as { code?: number }).code === 11000) return false; // another gateway inserted it first
        throw err;
      }
    }
    // By _id alone: FerretDB narrows only a bare _id filter, and a {_id, _rev} guard scanned the
    // whole collection (105 ms against 18 ms at 333 deployments) without being atomic anyway.
    // Writes to one document are serialised in this process (documentLocks).
    await collection.replaceOne({ _id: doc._id }, doc);
    return true;
  }

  private announce(id: string, doc: object, rev: number) {
    if (!this.platform) return;
    try {
      this.platform.connection.publish(viewSubject(this.projection.collection, id), JSON.stringify({ _id: id, ...doc }), { headers: revHeaders(rev) });
    } catch (err) {
      this.log.warn(`could not announce ${id}: ${err}`);
    }
  }
}

/** The document without its bookkeeping fields, as resolvers and projections see it. */
export const strip = ({ _positions: _p, _rev: _r, ...rest }: Document): Document => rest;
