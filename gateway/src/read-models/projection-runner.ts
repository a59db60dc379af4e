import { Logger } from '@nestjs/common';
import type { Subscription as CoreSubscription } from '@nats-io/transport-node';
import type { Collection, Document } from 'mongodb';
import { RedeliverLater, type EventFilter, type EventStore, type StoredEvent, type Subscription } from '@slipway/event-store';
import type { PlatformConnection } from '@slipway/messaging';
import type { ReadStore } from '../read-store';
import { handles, nextDocument, type Projection, type StoredDocument as Stored } from './projection';
import { rebuildInPlace } from './projection-rebuild';
import { revHeaders } from './view-cache';
import { WriterLease, type WriterLeases } from './writer-lease';
import { viewSubject } from '@slipway/proto';

/** Not a failure of the event (never dead-lettered): the next writer takes it again from the consumer's ack floor. */
export class NotTheWriter extends RedeliverLater {
  constructor(projection: string) {
    super(1_000, `${projection}: this gateway no longer holds the writer lease; the event is left to the next writer`);
    this.name = 'NotTheWriter';
  }
}

export interface ProjectionRunnerOptions {
  /** Absent in tests that run a projection without announcing its documents. */
  platform?: PlatformConnection;
  /** Runs each time this gateway becomes the writer, before its consumers resume (an upgrade). */
  beforeWriting?: (mayWrite: () => boolean) => Promise<void>;
}

/** Core NATS, answered by the gateway holding the projection's writer lease. */
const rebuildSubject = (projection: string) => `platform.gateway.rebuilds.${projection}`;

export type RebuildResult = { events: number; documents: number };

/**
 * Keeps one projection's documents in MongoDB from durable consumers, then announces each new
 * document on NATS, so subscriptions and view caches (on any gateway instance) follow it.
 * Every gateway runs one; only the holder of the projection's writer lease subscribes.
 */
export class ProjectionRunner<Doc extends object> {
  private readonly log: Logger;
  /**
   * One write at a time per document. Two consumers (deploy and build events) update the same
   * deployment document, and FerretDB's conditional replace is not atomic under concurrency:
   * measured, a `_rev`-guarded replace let two writers both write rev 3 and one update was lost.
   * Between gateways, only the holder of the projection's writer lease writes (ADR 0011).
   */
  private readonly documentLocks = new Map<string, Promise<unknown>>();
  private subscriptions: Subscription[] = [];
  private rebuilds?: CoreSubscription;
  private lease?: WriterLease;
  private store?: EventStore;
  private writers?: WriterLeases;
  /** For GET /metrics: events applied by this gateway, and how long after it happened the last one was. */
  readonly progress = { applied: 0, lagSeconds: 0 };

  constructor(
    private readonly projection: Projection<Doc>,
    private readonly readStore: ReadStore,
    private readonly options: ProjectionRunnerOptions = {},
  ) {
    this.log = new Logger(`projection:${projection.name}`);
    const contexts = projection.sources.map((s) => s.context);
    // Consumers are named by context: two sources of one context would share (and overwrite) one.
    if (new Set(contexts).size !== contexts.length) throw new Error(`${projection.name}: one source per context (read the whole context, and pick by type)`);
  }

  /** Takes part in electing the projection's writer; resolves after the first try (a lone gateway is writing by then). */
  async start(store: EventStore, writers: WriterLeases): Promise<void> {
    this.store = store;
    this.writers = writers;
    this.lease ??= new WriterLease(writers, this.projection.name, { held: () => this.resume(), lost: () => this.pause() });
    await this.lease.start();
  }

  /** Finishes what it took, then frees the lease: another gateway writes from the next event. */
  async stop(): Promise<void> {
    await this.lease?.stop();
  }

  get writing(): boolean {
    return this.lease?.holding ?? false;
  }

  /**
   * Recomputes the documents from the first event and replaces them, on the gateway that writes
   * the projection (asked over NATS, maybe this one) with its consumers paused meanwhile, so no
   * writer anywhere changes a document between the rebuild's read and its swap.
   */
  async rebuild(): Promise<RebuildResult> {
    if (!this.options.platform) throw new Error(`${this.projection.name}: a rebuild needs NATS`);
    const reply = await this.options.platform.connection
      .request(rebuildSubject(this.projection.name), '', { timeout: 30 * 60_000 })
      .catch((err: Error) => Promise.reject(new Error(`${this.projection.name}: no gateway is writing it right now (${err.message}); one takes over within seconds, try again`)));
    const answer = reply.json<{ result?: RebuildResult; error?: string }>();
    if (!answer.result) throw new Error(answer.error ?? 'the rebuild failed');
    return answer.result;
  }

  private durable = (source: EventFilter) => `gateway-${this.projection.name}-${source.context}`;

  /** This gateway has just become the writer. */
  private async resume(): Promise<void> {
    for (const source of this.projection.sources) await this.writers!.rewind(source, this.durable(source));
    await this.options.beforeWriting?.(() => this.lease!.mayWrite());
    await this.consume();
    this.rebuilds = this.options.platform?.connection.subscribe(rebuildSubject(this.projection.name), {
      callback: (err, m) => {
        if (err) return;
        this.lease!.exclusive(() => this.rebuildHere()).then(
          (result) => m.respond(JSON.stringify({ result })),
          (e: Error) => m.respond(JSON.stringify({ error: e.message })),
        );
      },
    });
  }

  private async pause(): Promise<void> {
    this.rebuilds?.unsubscribe();
    this.rebuilds = undefined;
    await this.stopConsuming();
  }

  private async rebuildHere(): Promise<RebuildResult> {
    if (!this.lease!.mayWrite()) throw new NotTheWriter(this.projection.name);
    await this.stopConsuming();
    try {
      return await rebuildInPlace(this.projection as Projection<object>, this.store!, this.readStore, () => this.lease!.mayWrite());
    } finally {
      if (this.lease!.holding) await this.consume();
    }
  }

  private async consume(): Promise<void> {
    for (const source of this.projection.sources) {
      this.subscriptions.push(
        await this.store!.subscribe(this.durable(source), source, async (event) => {
          if (handles(this.projection, event.type)) await this.apply(event);
        }),
      );
    }
  }

  private async stopConsuming(): Promise<void> {
    await Promise.all(this.subscriptions.map((s) => s.stop()));
    this.subscriptions = [];
  }

  /** Applies one event; refused once the lease is gone (a runner never started applies as a lone writer: tests, tools). */
  async apply(event: StoredEvent): Promise<void> {
    const id = this.projection.documentId(event);
    if (!id) return;
    await this.withDocumentLock(id, () => this.applyTo(id, event));
    this.progress.applied++;
    this.progress.lagSeconds = Math.max(0, (Date.now() - Date.parse(event.occurredAt)) / 1000) || 0;
  }

  private async withDocumentLock<T>(id: string, work: () => Promise<T>): Promise<T> {
    const previous = this.documentLocks.get(id) ?? Promise.resolve();
    const current = previous.catch(() => undefined).then(work);
    this.documentLocks.set(id, current);
    try {
      return await current;
    } finally {
      if (this.documentLocks.get(id) === current) this.documentLocks.delete(id);
    }
  }

  private async applyTo(id: string, event: StoredEvent): Promise<void> {
    const collection = (await this.readStore.db()).collection<Stored & Document>(this.projection.collection);
    for (let attempt = 1; attempt <= 5; attempt++) {
      const current = await collection.findOne({ _id: id });
      const doc = nextDocument(this.projection, id, current, event);
      if (!doc) return;
      // Right before the write: a writer that could not renew its lease in time writes nothing.
      if (this.lease && !this.lease.mayWrite()) throw new NotTheWriter(this.projection.name);
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
    // Writes to one document are serialised in this runner (documentLocks), and only the holder
    // of the writer lease writes.
    await collection.replaceOne({ _id: doc._id }, doc);
    return true;
  }

  private announce(id: string, doc: object, rev: number) {
    if (!this.options.platform) return;
    try {
      this.options.platform.connection.publish(viewSubject(this.projection.collection, id), JSON.stringify({ _id: id, ...doc }), { headers: revHeaders(rev) });
    } catch (err) {
      this.log.warn(`could not announce ${id}: ${err}`);
    }
  }
}

/** The document without its bookkeeping fields, as resolvers and projections see it. */
export const strip = ({ _positions: _p, _rev: _r, ...rest }: Document): Document => rest;
