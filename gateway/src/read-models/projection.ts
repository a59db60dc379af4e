import type { EventFilter, StoredEvent } from '@slipway/event-store';

/**
 * A read model: which events it reads, which document each event touches, and how the document
 * evolves. Pure, so a rebuild from the first event gives the same documents.
 */
export interface Projection<Doc extends object> {
  /** Consumers are named gateway-<name>-<context>. */
  name: string;
  /**
   * Raised when the documents' shape changes: a gateway that finds older documents rebuilds them
   * from the first event before it serves them (absent means 1).
   */
  version?: number;
  collection: string;
  sources: EventFilter[];
  /** The event types it reads, or 'all'. */
  types: readonly string[] | 'all';
  /** The id of the document the event updates, or undefined to ignore it. */
  documentId(event: StoredEvent): string | undefined;
  evolve(current: Doc | null, event: StoredEvent): Doc | null;
}

/** Where an event sits in its stream: documents remember the last one applied from each stream. */
export type Position = [streamVersion: number, batchIndex: number];

export const streamKey = (e: StoredEvent) => `${e.stream.context}_${e.stream.aggregate}`;

export const isAfter = (e: StoredEvent, applied: Position | undefined) =>
  !applied || e.streamVersion > applied[0] || (e.streamVersion === applied[0] && e.batchIndex > applied[1]);

export const handles = (projection: Pick<Projection<object>, 'types'>, type: string) =>
  projection.types === 'all' || projection.types.includes(type);

/** A projection's document as stored, with its bookkeeping. */
export interface StoredDocument {
  _id: string;
  /** Last applied position per source stream: a redelivered event changes nothing. */
  _positions: Record<string, Position>;
  /** Bumped on every write and sent with the announcement: caches keep the newest revision they saw. */
  _rev: number;
}

/**
 * The document after `event`, or null when the event changes nothing (already applied, or the
 * projection ignores it). The one step both the live runner and a rebuild take, so they agree.
 */
export const nextDocument = <Doc extends object>(
  projection: Pick<Projection<Doc>, 'evolve'>,
  id: string,
  current: (StoredDocument & Record<string, unknown>) | null,
  event: StoredEvent,
): (StoredDocument & Record<string, unknown>) | null => {
  const key = streamKey(event);
  if (current && !isAfter(event, current._positions?.[key])) return null;
  const { _positions, _rev, ...view } = current ?? ({} as StoredDocument);
  const next = projection.evolve(current ? (view as Doc) : null, event);
  if (!next) return null;
  return {
    ...next,
    _id: id,
    _positions: { ..._positions, [key]: [event.streamVersion, event.batchIndex] as Position },
    _rev: (_rev ?? 0) + 1,
  };
};
