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
