import type { GatewayContext } from '../gateway-context';
import type { Position } from '../read-models/projection';
import { strip } from '../read-models/projection-runner';

/**
 * Read-your-writes for a change to a document that already exists: waits until its projection has
 * applied the stream position the command's reply named (`streamKey` as in read-models/projection),
 * then returns the document. `version` null means the command changed nothing: no wait.
 */
export const awaitPosition = async <T>(
  ctx: GatewayContext,
  collection: string,
  id: string,
  streamKey: string,
  version: number | null,
  // As awaitView's: a loaded machine may take seconds to project; the wait ends as soon as it has.
  timeoutMs = 10_000,
): Promise<T | null> => {
  const docs = (await ctx.readStore.db()).collection<{ _id: string; _positions?: Record<string, Position> }>(collection);
  const until = Date.now() + timeoutMs;
  for (;;) {
    const found = await docs.findOne({ _id: id });
    if (version === null) return found ? (strip(found) as T) : null;
    if (found && (found._positions?.[streamKey]?.[0] ?? 0) >= version) return strip(found) as T;
    if (Date.now() > until) return found ? (strip(found) as T) : null;
    await new Promise((r) => setTimeout(r, 20));
  }
};
