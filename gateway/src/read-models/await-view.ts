import type { GatewayContext } from '../gateway-context';
import { strip } from './projection-runner';

/**
 * Read-your-writes for mutations: the document a command just caused, as soon as its projection
 * has written it (usually milliseconds), so the caller's next query or mutation finds it — on this
 * gateway or any other. `ready` waits for a particular state of a document that already exists.
 * The wait is generous (10 s): an id handed back before its document is readable breaks that
 * promise, and on a loaded machine a projection can take seconds. It returns as soon as `ready` holds.
 */
export const awaitView = async <T>(
  ctx: GatewayContext,
  collection: string,
  /** The document's _id, or a filter that finds it. */
  id: string | Record<string, unknown>,
  ready: (doc: T) => boolean = () => true,
  timeoutMs = 10_000,
): Promise<T | null> => {
  const docs = (await ctx.readStore.db()).collection<{ _id: string }>(collection);
  const until = Date.now() + timeoutMs;
  for (let pause = 20; ; pause = Math.min(pause * 1.5, 250)) {
    const found = await docs.findOne(typeof id === 'string' ? { _id: id } : id);
    if (found && ready(strip(found) as T)) {
      // This gateway's view cache may not have had the announcement yet: the caller reads its writes.
      ctx.views.offer(collection, found, (found as { _rev?: number })._rev ?? 0, found._id);
      return strip(found) as T;
    }
    if (Date.now() > until) return found ? (strip(found) as T) : null;
    await new Promise((r) => setTimeout(r, pause));
  }
};
