import { PROJECT_ID_LABEL, SERVICE_ID_LABEL, type RuntimeLogRecord, type RuntimeLogStreamField } from '@slipway/proto';

/** Longer lines are cut here: one runaway line must not hold the collector's memory. */
export const MAX_LINE_BYTES = 16 * 1024;

export type ContainerStreamFields = Record<RuntimeLogStreamField, string>;

/**
 * The stream fields of a container from its labels. Swarm names a task's container after the task:
 * `com.docker.swarm.task.name` is `<swarm service>.<slot>.<task id>`; the slot is the replica.
 * Null for a container that is not a Slipway app's.
 */
export const containerStreamFields = (containerId: string, labels: Record<string, string> | undefined): ContainerStreamFields | null => {
  const serviceId = labels?.[SERVICE_ID_LABEL];
  if (!serviceId) return null;
  const taskName = labels?.['com.docker.swarm.task.name'] ?? '';
  const slot = /^.+\.(\d+)\.[^.]+$/.exec(taskName)?.[1];
  return {
    project: labels?.[PROJECT_ID_LABEL] ?? '',
    service: labels?.['com.docker.swarm.service.name'] ?? '',
    serviceId,
    task: labels?.['com.docker.swarm.task.id'] ?? '',
    replica: slot ?? '',
    container: containerId.slice(0, 12),
  };
};

/** `2026-11-30T07:12:24.356445161Z message`, as Docker writes a line when asked for timestamps. */
const STAMPED = /^(\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(?:\.\d{1,9})?(?:Z|[+-]\d{2}:\d{2})) ?/;

/**
 * One line of a container's output, with Docker's timestamp, into a record. A line without a
 * readable timestamp is kept, stamped `receivedAt`: a bad line is never a reason to stop.
 */
export const runtimeLogRecord = (line: string, stream: 'stdout' | 'stderr', fields: ContainerStreamFields, receivedAt: string): RuntimeLogRecord => {
  const stamped = STAMPED.exec(line);
  const text = (stamped ? line.slice(stamped[0].length) : line).replace(/\r$/, '');
  return { _msg: text.length > MAX_LINE_BYTES ? `${text.slice(0, MAX_LINE_BYTES)}… [cut]` : text, _time: stamped?.[1] ?? receivedAt, stream, ...fields };
};

/**
 * Docker timestamps as comparable keys: RFC 3339 in UTC with nanoseconds padded to nine digits, so
 * string order is time order ("…24.5Z" and "…24.356445161Z" would not compare right as they are).
 */
export const timeKey = (rfc3339: string): string => {
  const m = /^(\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2})(?:\.(\d{1,9}))?Z$/.exec(rfc3339);
  if (m) return `${m[1]}.${(m[2] ?? '').padEnd(9, '0')}Z`;
  const ms = Date.parse(rfc3339);
  return Number.isNaN(ms) ? rfc3339 : `${new Date(ms).toISOString().slice(0, 19)}.${String(ms % 1000).padStart(3, '0')}000000Z`;
};

/** Docker's `since` (seconds, with a fraction) from a time key: the follow resumes at the last shipped line. */
export const dockerSince = (key: string): string => {
  const m = /^(.+T\d{2}:\d{2}:\d{2})\.(\d{9})Z$/.exec(key);
  if (!m) return String(Math.floor(Date.parse(key) / 1000));
  return `${Math.floor(Date.parse(`${m[1]}Z`) / 1000)}.${m[2]}`;
};

/**
 * Splits a stream's chunks into lines. A line without its newline yet waits for the next chunk,
 * but never grows past MAX_LINE_BYTES: then what is held goes out as a line of its own.
 */
export class LineSplitter {
  private pending = '';
  constructor(private readonly onLine: (line: string) => void) {}

  push(chunk: string) {
    const parts = (this.pending + chunk).split('\n');
    this.pending = parts.pop() ?? '';
    for (const part of parts) this.onLine(part);
    if (this.pending.length > MAX_LINE_BYTES) {
      this.onLine(this.pending);
      this.pending = '';
    }
  }

  /** The stream ended: a last line without a newline is still a line. */
  end() {
    if (this.pending) this.onLine(this.pending);
    this.pending = '';
  }
}
