import { hostname } from 'node:os';
import { randomUUID } from 'node:crypto';
import {
  DeliverPolicy,
  DiscardPolicy,
  JetStreamApiError,
  StorageType,
  jetstream,
  jetstreamManager,
  type JetStreamClient,
  type JetStreamManager,
  type StreamConfig,
} from '@nats-io/jetstream';
import { nanos, type NatsConnection } from '@nats-io/transport-node';
import type { EventFilter } from '@slipway/event-store';
import { eventStreamName } from '@slipway/proto';
import type { WriterLeases } from './writer-lease';

export const WRITER_LEASES_STREAM = 'GATEWAY_PROJECTION_WRITERS';
const WRONG_LAST_SEQUENCE = 10071;
const CONSUMER_NOT_FOUND = 10014;
const STREAM_NOT_FOUND = 10059;
const STREAM_NAME_IN_USE = 10058;

/** One subject per projection: the stream keeps only its last message, for `ttlMs` after it was written. */
const LEASE_SUBJECTS = 'platform.gateway.writers.*';
const leaseSubject = (projection: string) => {
  if (!/^[A-Za-z0-9_-]+$/.test(projection)) throw new Error(`projection name "${projection}" is not a subject token`);
  return LEASE_SUBJECTS.replace('*', projection);
};

const isApiError = (err: unknown, ...codes: number[]) => err instanceof JetStreamApiError && codes.includes(err.code);

/**
 * The projection writers' leases, in a JetStream stream (what a KV bucket is, without a new
 * dependency): `max_age` is the lease's time to live, one message per projection, and a publish
 * that expects the subject's last sequence is the compare-and-set. nats-server applies that check
 * atomically (measured on 2.9.10: of 20 concurrent acquirers exactly one won, 5 rounds out of 5).
 */
export class JetStreamWriterLeases implements WriterLeases {
  /** Names this process in the lease, so an operator (or a test) can tell who writes a projection. */
  readonly holder = `${hostname()}/${process.pid}/${randomUUID().slice(0, 8)}`;

  private constructor(
    private readonly js: JetStreamClient,
    private readonly jsm: JetStreamManager,
    readonly ttlMs: number,
    private readonly stream: string,
  ) {}

  /** Declares the stream (or brings its time to live up to date). */
  static async open(nc: NatsConnection, { ttlMs = 5_000, stream = WRITER_LEASES_STREAM } = {}): Promise<JetStreamWriterLeases> {
    const jsm = await jetstreamManager(nc);
    const config: Partial<StreamConfig> & { name: string } = {
      name: stream,
      subjects: [LEASE_SUBJECTS],
      max_msgs_per_subject: 1,
      max_age: nanos(ttlMs),
      discard: DiscardPolicy.Old,
      // On disk: a lease must outlive a NATS restart, or another gateway could take it at once
      // while its holder, which has not heard of the restart, still writes.
      storage: StorageType.File,
      num_replicas: 1,
    };
    try {
      const info = await jsm.streams.info(stream);
      if (info.config.max_age !== config.max_age) await jsm.streams.update(stream, config);
    } catch (err) {
      if (!isApiError(err, STREAM_NOT_FOUND)) throw err;
      await jsm.streams.add(config).catch((e: unknown) => (isApiError(e, STREAM_NAME_IN_USE) ? undefined : Promise.reject(e))); // another gateway added it first
    }
    return new JetStreamWriterLeases(jetstream(nc, { timeout: Math.max(500, ttlMs / 5) }), jsm, ttlMs, stream);
  }

  acquire(projection: string): Promise<number | undefined> {
    return this.put(projection, 0);
  }

  renew(projection: string, seq: number): Promise<number | undefined> {
    return this.put(projection, seq);
  }

  /**
   * Removes our own message (by its sequence), so a lease another gateway holds by now is left
   * alone. Best effort: a release that fails (already expired, NATS away) leaves the lease to expire.
   */
  async release(seq: number): Promise<void> {
    await this.jsm.streams.deleteMessage(this.stream, seq, false).catch(() => undefined);
  }

  async holderOf(projection: string): Promise<string | undefined> {
    const last = await this.jsm.streams.getMessage(this.stream, { last_by_subj: leaseSubject(projection) });
    return last ? last.json<{ holder: string }>().holder : undefined;
  }

  /**
   * Restarts a durable consumer at its ack floor. Events a previous writer took but never
   * acknowledged would otherwise come back only after the ack wait, behind newer events of the
   * same stream, and the position guard would skip them as already applied. Events acknowledged
   * after the floor come again and are skipped by that guard.
   */
  async rewind(source: EventFilter, durable: string): Promise<void> {
    const stream = eventStreamName(source.context);
    const info = await this.jsm.consumers.info(stream, durable).catch((err: unknown) => (isApiError(err, CONSUMER_NOT_FOUND) ? undefined : Promise.reject(err)));
    if (!info) return; // subscribing creates it
    // A consumer added at a start sequence reports a floor of 0 until its first ack (nats-server
    // 2.9.10): a writer that took over and acknowledged nothing would send the next one back to
    // the stream's first event, and each gateway start replayed the whole history (measured: 3,065
    // events behind on one consumer after a test run). Its floor is then the event before its start.
    const floor = Math.max(info.ack_floor.stream_seq, (info.config.opt_start_seq ?? 1) - 1);
    await this.jsm.consumers.delete(stream, durable);
    await this.jsm.consumers.add(stream, { ...info.config, deliver_policy: DeliverPolicy.StartSequence, opt_start_seq: floor + 1 });
  }

  /** The new sequence, or undefined when the subject's last sequence is not `expected` (someone else holds it). */
  private async put(projection: string, expected: number): Promise<number | undefined> {
    try {
      const ack = await this.js.publish(leaseSubject(projection), JSON.stringify({ holder: this.holder, at: new Date().toISOString() }), {
        expect: { lastSubjectSequence: expected },
      });
      return ack.seq;
    } catch (err) {
      if (isApiError(err, WRONG_LAST_SEQUENCE)) return undefined;
      throw err;
    }
  }
}
