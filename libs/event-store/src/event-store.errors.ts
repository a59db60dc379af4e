import type { ExpectedVersion, StreamId } from './event-store.port';

export const streamLabel = (s: StreamId) => `${s.context}/${s.aggregate}/${s.id}`;

/** Optimistic concurrency: somebody appended since the caller read. Re-read and decide again. */
export class WrongExpectedVersion extends Error {
  readonly code = 'CONCURRENCY_CONFLICT';
  constructor(
    readonly stream: StreamId,
    readonly expected: ExpectedVersion,
  ) {
    super(`Stream ${streamLabel(stream)} is not at version ${expected}: it changed since it was read`);
    this.name = 'WrongExpectedVersion';
  }
}

/** An append that can never succeed as given (wrong aggregate, empty batch, …). */
export class InvalidAppend extends Error {
  readonly code = 'INVALID_APPEND';
  constructor(message: string) {
    super(message);
    this.name = 'InvalidAppend';
  }
}

/**
 * Thrown by a handler that is not done with an event yet — a deadline it watches has not come —
 * so the store delivers it again after `delayMs`. Not a failure: it is neither retried early nor
 * dead-lettered. Subscribe such a handler with `maxDeliver: Infinity`.
 */
export class RedeliverLater extends Error {
  constructor(
    readonly delayMs: number,
    why = 'not done yet',
  ) {
    super(`Deliver again in ${delayMs} ms: ${why}`);
    this.name = 'RedeliverLater';
  }
}
