import { Logger } from '@nestjs/common';
import type { EventFilter } from '@slipway/event-store';

/** Where the leases are kept: a compare-and-set per projection, each write living `ttlMs`. */
export interface LeaseStore {
  readonly ttlMs: number;
  /** Who this process is, as written in the leases it holds. */
  readonly holder: string;
  /** The lease's sequence when it was free, undefined when another process holds it. */
  acquire(projection: string): Promise<number | undefined>;
  /** The lease's new sequence, undefined when it is no longer ours at `seq`. */
  renew(projection: string, seq: number): Promise<number | undefined>;
  /** Frees the lease if it is still ours at `seq`; best effort (it expires anyway). */
  release(seq: number): Promise<void>;
}

/** The leases, and the one thing a new writer does to the consumers before it subscribes them. */
export interface WriterLeases extends LeaseStore {
  /** Restarts a durable consumer at its ack floor: events a previous writer took and never acknowledged come first again. */
  rewind(source: EventFilter, durable: string): Promise<void>;
}

export interface WriterHooks {
  /** This process has become the projection's writer: start writing. */
  held(): Promise<void>;
  /** It must stop: resolve once it writes nothing more. */
  lost(): Promise<void>;
}

/**
 * This process's claim to be the one writer of a projection. Every gateway keeps one per
 * projection: the holder writes, the others try to take the lease every fifth of its time to live.
 *
 * The lease is ours until `sent + ttl − ttl/5`, where `sent` is when the last successful acquire
 * or renew left this process: the server stamped that write later, so it expires later still, and
 * the fifth is the time a write already under way may take to land. After that the holder writes
 * nothing (`mayWrite`), renewed or not; another gateway can only take the lease once it expired.
 */
export class WriterLease {
  private readonly log: Logger;
  private readonly everyMs: number;
  private seq?: number;
  private validUntil = 0;
  /** Bumped at each acquisition; an acquisition whose `held` failed is given back at the next step. */
  private term = 0;
  private failedTerm = -1;
  private state: 'idle' | 'running' | 'stopping' = 'idle';
  private timer?: NodeJS.Timeout;
  private ticking: Promise<void> = Promise.resolve();
  /** held/lost run one after the other, never overlapping. */
  private transitions: Promise<void> = Promise.resolve();

  constructor(
    private readonly store: LeaseStore,
    private readonly projection: string,
    private readonly hooks: WriterHooks,
  ) {
    this.log = new Logger(`writer:${projection}`);
    this.everyMs = Math.max(50, Math.floor(store.ttlMs / 5));
  }

  /** True while the lease is surely ours: checked right before every write. */
  mayWrite(): boolean {
    return this.seq !== undefined && this.failedTerm !== this.term && performance.now() < this.validUntil;
  }

  get holding(): boolean {
    return this.seq !== undefined;
  }

  /** Tries once now (a lone gateway is writing when this resolves), then keeps at it in the background. */
  async start(): Promise<void> {
    if (this.state !== 'idle') return;
    this.state = 'running';
    await this.tick();
    await this.transitions;
  }

  /** Stops writing (renewing meanwhile, so what was taken is written), then frees the lease. */
  async stop(): Promise<void> {
    if (this.state !== 'running') return;
    this.state = 'stopping'; // no more acquiring; renewing goes on
    await this.ticking; // an acquire under way has its say first
    if (this.seq !== undefined) this.transition(() => this.hooks.lost());
    await this.transitions;
    this.state = 'idle';
    clearTimeout(this.timer);
    await this.ticking;
    await this.transitions;
    const seq = this.seq;
    this.clear();
    if (seq !== undefined) await this.store.release(seq);
  }

  /** Runs `work` while no held or lost runs (a rebuild with the consumers paused); it still writes only while `mayWrite`. */
  exclusive<T>(work: () => Promise<T>): Promise<T> {
    const result = this.transitions.then(work);
    this.transitions = result.then(
      () => undefined,
      () => undefined,
    );
    return result;
  }

  private tick(): Promise<void> {
    this.ticking = this.step().finally(() => {
      if (this.state !== 'idle') this.timer = setTimeout(() => void this.tick(), this.everyMs);
    });
    return this.ticking;
  }

  /** The only place the lease changes hands (besides `stop`, once the steps have ended). */
  private async step(): Promise<void> {
    const sent = performance.now();
    try {
      if (this.seq !== undefined && this.failedTerm === this.term) {
        const seq = this.seq;
        this.clear();
        return await this.store.release(seq); // another gateway (or a later try here) has a go
      }
      if (this.seq === undefined) {
        if (this.state !== 'running') return;
        const seq = await this.store.acquire(this.projection);
        if (seq === undefined) return;
        const term = ++this.term;
        this.hold(seq, sent);
        this.log.log(`writing as ${this.store.holder}`);
        // Could not start writing: undo what was started; the lease goes back at the next step.
        this.transition(() => this.hooks.held(), async () => {
          await this.hooks.lost();
          this.failedTerm = term;
        });
      } else {
        const seq = await this.store.renew(this.projection, this.seq);
        if (seq === undefined) return this.lose('another gateway holds the lease');
        this.hold(seq, sent);
      }
    } catch (err) {
      if (this.seq !== undefined && !this.mayWrite()) this.lose(`could not renew the lease: ${err}`);
    }
  }

  private hold(seq: number, sent: number) {
    this.seq = seq;
    this.validUntil = sent + this.store.ttlMs - this.everyMs;
  }

  private clear() {
    this.seq = undefined;
    this.validUntil = 0;
  }

  private lose(why: string) {
    this.log.warn(`stopped writing: ${why}`);
    this.clear();
    this.transition(() => this.hooks.lost());
  }

  private transition(work: () => Promise<void>, onError?: () => Promise<void>) {
    this.transitions = this.transitions.then(work).catch(async (err) => {
      this.log.error(`${err}`);
      await onError?.().catch(() => undefined);
    });
  }
}
