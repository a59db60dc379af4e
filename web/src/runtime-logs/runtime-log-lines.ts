import type { LogLine } from '../deployment/log-store';

export interface RuntimeLine {
  timestamp: string;
  stream: string;
  message: string;
  replica?: string | null;
  container?: string | null;
}

export const RANGES = [
  { value: '15m', label: 'Last 15 minutes', ms: 15 * 60_000 },
  { value: '1h', label: 'Last hour', ms: 60 * 60_000 },
  { value: '6h', label: 'Last 6 hours', ms: 6 * 60 * 60_000 },
  { value: '24h', label: 'Last 24 hours', ms: 24 * 60 * 60_000 },
  { value: '7d', label: 'Last 7 days', ms: 7 * 24 * 60 * 60_000 },
] as const;
export type RangeValue = (typeof RANGES)[number]['value'];

const clock = (iso: string) => {
  const d = new Date(iso);
  return Number.isNaN(d.getTime()) ? '' : d.toLocaleTimeString([], { hour: '2-digit', minute: '2-digit', second: '2-digit', hour12: false });
};

/**
 * A runtime line as the log view shows it: the local time and the replica before the message (the
 * view has one text column); the download keeps the full timestamp and stream too.
 */
export const toLogLine = (l: RuntimeLine): LogLine => ({
  timestamp: l.timestamp,
  stream: l.stream,
  message: `${clock(l.timestamp)} ${l.replica ? `#${l.replica} ` : ''}${l.message}`,
  cursor: `${l.timestamp}\u0000${l.container ?? ''}\u0000${l.stream}\u0000${l.message}`,
});

/** A live line shown under a search only when it matches it, as the stored ones were chosen. */
export const matchesSearch = (l: RuntimeLine, search: string) => !search || l.message.toLowerCase().includes(search.toLowerCase());
