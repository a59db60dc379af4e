import type { NatsConnection } from '@nats-io/transport-node';
import { viewSubject } from '@slipway/proto';

/**
 * The documents announced for one id, as an async iterator for a GraphQL subscription. Fed by
 * NATS, so it works whichever gateway instance wrote the document.
 */
export async function* viewUpdates<T>(nc: NatsConnection, collection: string, id: string, signal?: AbortSignal): AsyncGenerator<T> {
  const sub = nc.subscribe(viewSubject(collection, id));
  signal?.addEventListener('abort', () => sub.unsubscribe());
  try {
    for await (const m of sub) yield m.json<T>();
  } finally {
    sub.unsubscribe();
  }
}

/**
 * A tick whenever any document of these collections is announced, at most one per `everyMs`: for
 * pages that show many documents and fetch them again on a change.
 */
export async function* viewChanges<T>(nc: NatsConnection, collections: string[], everyMs: number, tick: () => T): AsyncGenerator<T> {
  const subs = collections.map((c) => nc.subscribe(viewSubject(c, '*')));
  let pending: (() => void) | undefined;
  let changed = false;
  for (const sub of subs) {
    void (async () => {
      for await (const _ of sub) {
        changed = true;
        pending?.();
      }
    })();
  }
  try {
    for (;;) {
      if (!changed) await new Promise<void>((resolve) => (pending = resolve));
      changed = false;
      yield tick();
      await new Promise((r) => setTimeout(r, everyMs));
    }
  } finally {
    for (const sub of subs) sub.unsubscribe();
  }
}
