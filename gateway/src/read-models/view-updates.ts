import type { NatsConnection } from '@nats-io/transport-node';

/** Core NATS subject on which a gateway announces a read-model document it has just written. */
export const viewSubject = (collection: string, id: string) => `platform.gateway.views.${collection}.${id}`;

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
