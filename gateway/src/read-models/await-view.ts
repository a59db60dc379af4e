import type { GatewayContext } from '../gateway-context';
import { strip } from './projection-runner';

/**
 * Read-your-writes for mutations: the document a command just caused, as soon as its projection
 * has written it (usually milliseconds), so the caller's next query or mutation finds it.
 */
export const awaitView = async <T>(ctx: GatewayContext, collection: string, id: string, timeoutMs = 3_000): Promise<T | null> => {
  const docs = (await ctx.readStore.db()).collection<{ _id: string }>(collection);
  const until = Date.now() + timeoutMs;
  for (;;) {
    const found = await docs.findOne({ _id: id });
    if (found) return strip(found) as T;
    if (Date.now() > until) return null;
    await new Promise((r) => setTimeout(r, 20));
  }
};
