/**
 * LogsQL for a service's runtime logs (pure: the text only). Everything a user types is quoted:
 * the search text can never add a filter, a pipe or a field of its own.
 */

export const MAX_PAGE = 1_000;
export const DEFAULT_PAGE = 200;

export class ServiceLogsInputError extends Error {
  constructor(
    message: string,
    readonly field: string,
  ) {
    super(message);
  }
}

/** A LogsQL string literal: double quotes, with backslash, quote and control characters escaped. */
export const logsqlString = (text: string): string => JSON.stringify(text);

/** The text as a regular expression that matches exactly it (RE2 syntax, which LogsQL uses). */
export const regexpLiteral = (text: string): string => text.replace(/[\\^$.|?*+()[\]{}]/g, '\\$&');

/** Where a page ends: the time of its last (oldest) line and how many lines at that very time it held. */
export interface ServiceLogCursor {
  t: string;
  n: number;
}

export const encodeCursor = (c: ServiceLogCursor): string => Buffer.from(JSON.stringify(c)).toString('base64url');

export const decodeCursor = (cursor: string): ServiceLogCursor => {
  try {
    const c = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8')) as ServiceLogCursor;
    if (typeof c.t === 'string' && !Number.isNaN(Date.parse(c.t)) && Number.isInteger(c.n) && c.n >= 0) return c;
  } catch {
    // falls through
  }
  throw new ServiceLogsInputError('This cursor is not one a serviceLogs page gave: pass nextCursor as it was', 'after');
};

/** An ISO 8601 time as given, or a clear refusal naming the argument. */
export const isoTime = (value: string, field: 'since' | 'until'): string => {
  const ms = Date.parse(value);
  if (Number.isNaN(ms)) throw new ServiceLogsInputError(`${field} must be a date and time like 2026-11-30T07:00:00Z, not "${value}"`, field);
  return new Date(ms).toISOString();
};

export interface ServiceLogsRequest {
  serviceId: string;
  search?: string | null;
  since?: string | null;
  until?: string | null;
  first?: number | null;
  after?: string | null;
}

/** The page size asked, within 1..MAX_PAGE. */
export const pageSize = (first: number | null | undefined): number => {
  if (first === null || first === undefined) return DEFAULT_PAGE;
  if (!Number.isInteger(first) || first < 1 || first > MAX_PAGE) throw new ServiceLogsInputError(`first must be between 1 and ${MAX_PAGE}`, 'first');
  return first;
};

/**
 * The longest run of ASCII characters other than letters in the text (digits, punctuation, spaces).
 * They have no case: a line that holds the text in any case holds this run exactly as typed.
 */
export const caselessRun = (text: string): string =>
  (text.match(/[\x20-\x40\x5b-\x60\x7b-\x7e]+/g) ?? []).reduce((longest, run) => (run.length > longest.length ? run : longest), '');

/**
 * The filters common to a page and to the live tail: the service, and the search text (case-insensitive, anywhere in the line).
 * The (?i) regexp is VictoriaLogs' slow path (~130 ms per 100,000 lines here, ADR 0021); a case-sensitive
 * substring filter on the text's caseless run comes first (~7 ms), so the regexp reads only the lines it lets through.
 */
export const serviceFilter = (serviceId: string, search?: string | null): string => {
  const text = search?.trim();
  const filters = [`{serviceId=${logsqlString(serviceId)}}`];
  if (!text) return filters[0];
  const run = caselessRun(text);
  if (run.trim()) filters.push(`*${logsqlString(run)}*`);
  filters.push(`_msg:~${logsqlString(`(?i)${regexpLiteral(text)}`)}`);
  return filters.join(' ');
};

/**
 * One page, newest first: the lines before the cursor (or before `until`), after `since`. One
 * more line than asked is read, to know whether there is a next page.
 */
export const servicePageQuery = (req: ServiceLogsRequest): { query: string; limit: number } => {
  const limit = pageSize(req.first);
  const cursor = req.after ? decodeCursor(req.after) : null;
  const parts = [serviceFilter(req.serviceId, req.search)];
  if (req.since) parts.push(`_time:>=${isoTime(req.since, 'since')}`);
  if (cursor) parts.push(`_time:<=${cursor.t}`);
  else if (req.until) parts.push(`_time:<${isoTime(req.until, 'until')}`);
  const pipes = ['sort by (_time desc)', ...(cursor?.n ? [`offset ${cursor.n}`] : []), `limit ${limit + 1}`];
  return { query: `${parts.join(' ')} | ${pipes.join(' | ')}`, limit };
};

/** The live tail's next read: lines from `from` on (the caller drops the ones it already sent), oldest first. */
export const tailQuery = (serviceId: string, from: string, limit: number): string =>
  `${serviceFilter(serviceId)} _time:>=${from} | sort by (_time) | limit ${limit}`;

export interface ServiceLogLine {
  timestamp: string;
  stream: string;
  message: string;
  replica: string | null;
  container: string | null;
  task: string | null;
}

/** One JSON line of VictoriaLogs' answer; null for a line that is not one (never a reason to fail the page). */
export const parseLogLine = (raw: string): ServiceLogLine | null => {
  try {
    const r = JSON.parse(raw) as Record<string, unknown>;
    if (typeof r._time !== 'string') return null;
    const text = (v: unknown) => (typeof v === 'string' && v !== '' ? v : null);
    return { timestamp: r._time, stream: text(r.stream) ?? 'stdout', message: typeof r._msg === 'string' ? r._msg : '', replica: text(r.replica), container: text(r.container), task: text(r.task) };
  } catch {
    return null;
  }
};

/** The page's lines (newest first) and the cursor of the next page, when there is one. */
export const pageOf = (lines: ServiceLogLine[], limit: number, after: string | null | undefined): { lines: ServiceLogLine[]; nextCursor: string | null } => {
  const page = lines.slice(0, limit);
  if (lines.length <= limit || page.length === 0) return { lines: page, nextCursor: null };
  const last = page[page.length - 1].timestamp;
  const previous = after ? decodeCursor(after) : null;
  // Lines at the last line's very time that this page (and, at the same time, the pages before) held.
  const sameTime = page.filter((l) => l.timestamp === last).length + (previous?.t === last ? previous.n : 0);
  return { lines: page, nextCursor: encodeCursor({ t: last, n: sameTime }) };
};
