import type { Collection, Document, Filter } from 'mongodb';
import { badInput } from '../command-errors';
import { strip } from './projection-runner';

/**
 * Newest first, `first` at a time, resumed after an opaque cursor (the sort key and id of the
 * last item seen): stable while new items keep arriving at the top.
 */
export const cursorPage = async <T extends Document>(
  collection: Collection<T>,
  filter: Filter<T>,
  sortKey: string,
  first: number,
  after?: string | null,
): Promise<{ items: T[]; nextCursor: string | null }> => {
  if (!Number.isInteger(first) || first < 1 || first > 200) throw badInput('first must be between 1 and 200', 'first');
  let position: Filter<T> = {};
  if (after) {
    let key: string;
    let id: string;
    try {
      [key, id] = JSON.parse(Buffer.from(after, 'base64url').toString('utf8')) as [string, string];
    } catch {
      throw badInput('after is not a cursor this API gave out', 'after');
    }
    position = { $or: [{ [sortKey]: { $lt: key } }, { [sortKey]: key, _id: { $lt: id } }] } as Filter<T>;
  }
  const rows = await collection
    .find({ $and: [filter, position] } as Filter<T>)
    .sort({ [sortKey]: -1, _id: -1 })
    .limit(first + 1)
    .toArray();
  const items = rows.slice(0, first);
  const last = items.at(-1) as Document | undefined;
  const nextCursor = rows.length > first && last ? Buffer.from(JSON.stringify([last[sortKey], last._id])).toString('base64url') : null;
  return { items: items.map((r) => strip(r) as T), nextCursor };
};
