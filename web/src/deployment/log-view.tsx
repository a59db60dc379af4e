import { clsx } from 'clsx';
import { Download, Pause, Play, Search } from 'lucide-react';
import { Fragment, useCallback, useEffect, useId, useLayoutEffect, useRef, useState, useSyncExternalStore } from 'react';
import { Button } from '../ui/button';
import { formatLine, type LogLine, type LogStore } from './log-store';

/** Every row is this tall: the view draws only the rows in sight (plus a few), whatever the log's length. */
export const ROW_HEIGHT = 20;
const OVERSCAN = 10;
/** When the view has not been laid out yet (tests, first paint). */
const FALLBACK_HEIGHT = 480;

const streamTone: Record<string, string> = {
  stderr: 'text-rose-700 dark:text-rose-300',
  system: 'text-sky-700 dark:text-sky-300',
};

const Highlighted = ({ text, query }: { text: string; query: string }) => {
  if (!query) return <>{text}</>;
  const lower = text.toLowerCase();
  const parts: React.ReactNode[] = [];
  let from = 0;
  for (let at = lower.indexOf(query); at !== -1; at = lower.indexOf(query, at + query.length)) {
    parts.push(<Fragment key={`t${at}`}>{text.slice(from, at)}</Fragment>);
    parts.push(<mark key={`m${at}`} className="rounded-sm bg-amber-200 text-inherit dark:bg-amber-700">{text.slice(at, at + query.length)}</mark>);
    from = at + query.length;
  }
  parts.push(<Fragment key="end">{text.slice(from)}</Fragment>);
  return <>{parts}</>;
};

/** Matching line numbers for a query, extended as lines arrive rather than recomputed. */
const useMatches = (lines: LogLine[], count: number, query: string) => {
  const cache = useRef({ query: '', scanned: 0, indices: [] as number[] });
  if (!query) return null;
  const c = cache.current;
  if (c.query !== query || c.scanned > count) Object.assign(c, { query, scanned: 0, indices: [] });
  for (let i = c.scanned; i < count; i++) if (lines[i].message.toLowerCase().includes(query)) c.indices.push(i);
  c.scanned = count;
  return c.indices;
};

/**
 * A deployment's log: follows new lines (Pause stops that; so does scrolling up, and scrolling back
 * to the end resumes), filters to the lines matching a search, downloads as a .log file.
 */
export const LogView = ({
  store,
  fileName,
  emptyText,
  filter = true,
}: {
  store: LogStore;
  fileName: string;
  emptyText: string;
  /** false: no search box of its own (the page searches the stored lines itself). */
  filter?: boolean;
}) => {
  const count = useSyncExternalStore(
    useCallback((fn: () => void) => store.subscribe(fn), [store]),
    () => store.lines.length,
  );
  const [paused, setPaused] = useState<{ at: number; byScroll: boolean } | null>(null);
  const [rawQuery, setQuery] = useState('');
  const query = filter ? rawQuery.trim().toLowerCase() : '';
  const [scrollTop, setScrollTop] = useState(0);
  const [height, setHeight] = useState(0);
  const viewport = useRef<HTMLDivElement>(null);
  const searchId = useId();

  const shown = paused ? Math.min(paused.at, count) : count;
  const matches = useMatches(store.lines, shown, query);
  const rows = matches ? matches.length : shown;

  useEffect(() => {
    const el = viewport.current;
    if (!el || typeof ResizeObserver === 'undefined') return;
    const ro = new ResizeObserver(() => setHeight(el.clientHeight));
    ro.observe(el);
    return () => ro.disconnect();
  }, []);

  // Following: keep the newest line in sight, before the browser paints.
  useLayoutEffect(() => {
    const el = viewport.current;
    if (!paused && el) {
      el.scrollTop = el.scrollHeight;
      setScrollTop(el.scrollTop);
    }
  }, [paused, rows]);

  const onScroll = () => {
    const el = viewport.current;
    if (!el) return;
    setScrollTop(el.scrollTop);
    const atEnd = el.scrollTop + el.clientHeight >= el.scrollHeight - ROW_HEIGHT;
    if (!paused && !atEnd) setPaused({ at: count, byScroll: true });
    else if (paused?.byScroll && atEnd) setPaused(null);
  };

  const visible = height || FALLBACK_HEIGHT;
  const first = Math.max(0, Math.floor(scrollTop / ROW_HEIGHT) - OVERSCAN);
  const last = Math.min(rows, Math.ceil((scrollTop + visible) / ROW_HEIGHT) + OVERSCAN);
  const drawn: React.ReactNode[] = [];
  for (let row = first; row < last; row++) {
    const index = matches ? matches[row] : row;
    const line = store.lines[index];
    drawn.push(
      <div key={index} data-line={index} className="absolute right-0 left-0 flex gap-3 px-3 whitespace-pre" style={{ top: row * ROW_HEIGHT, height: ROW_HEIGHT }}>
        <span className="w-12 shrink-0 text-right text-slate-400 select-none dark:text-slate-500">{index + 1}</span>
        <span className={clsx(streamTone[line.stream] ?? '')}>
          <Highlighted text={line.message} query={query} />
        </span>
      </div>,
    );
  }

  const download = () => {
    const blob = new Blob([store.lines.map(formatLine).join('\n') + '\n'], { type: 'text/plain' });
    const url = URL.createObjectURL(blob);
    const a = document.createElement('a');
    a.href = url;
    a.download = fileName;
    a.click();
    setTimeout(() => URL.revokeObjectURL(url), 1000);
  };

  const newLines = paused ? count - shown : 0;
  return (
    <section aria-label="Log" className="flex flex-col gap-2">
      <div className="flex flex-wrap items-center gap-2">
        {filter && (
          <div className="relative min-w-48 flex-1">
            <label htmlFor={searchId} className="sr-only">Search the log</label>
            <Search size={14} aria-hidden className="pointer-events-none absolute top-1/2 left-2.5 -translate-y-1/2 text-slate-400" />
            <input
              id={searchId}
              type="search"
              placeholder="Search the log"
              value={rawQuery}
              onChange={(e) => setQuery(e.target.value)}
              className="w-full rounded-md border border-slate-300 bg-white py-1.5 pr-2.5 pl-8 text-sm dark:border-slate-700 dark:bg-slate-900"
            />
          </div>
        )}
        <Button variant="secondary" aria-pressed={Boolean(paused)} onClick={() => setPaused(paused ? null : { at: count, byScroll: false })}>
          {paused ? <Play size={14} aria-hidden /> : <Pause size={14} aria-hidden />} {paused ? 'Resume' : 'Pause'}
        </Button>
        <Button variant="secondary" onClick={download} disabled={count === 0}>
          <Download size={14} aria-hidden /> Download .log
        </Button>
      </div>
      <p className="text-xs text-slate-500 dark:text-slate-400" aria-live="polite">
        {matches ? `${matches.length.toLocaleString()} of ${shown.toLocaleString()} lines match` : `${count.toLocaleString()} lines`}
        {paused && ` · paused${newLines ? `, ${newLines.toLocaleString()} new lines: Resume to see them` : ''}`}
      </p>
      <div
        ref={viewport}
        onScroll={onScroll}
        tabIndex={0}
        role="region"
        aria-label="Log lines (scroll with the arrow keys)"
        className="max-h-[60vh] min-h-24 overflow-auto rounded-md border border-slate-200 bg-slate-50 font-mono text-xs leading-5 text-slate-800 focus:outline-2 focus:outline-sky-500 dark:border-slate-800 dark:bg-slate-950 dark:text-slate-200"
      >
        {rows === 0 ? (
          <p className="p-3 font-sans text-sm text-slate-500 dark:text-slate-400">{query && count ? 'No line matches this search.' : emptyText}</p>
        ) : (
          <div className="relative" style={{ height: rows * ROW_HEIGHT }}>
            {drawn}
          </div>
        )}
      </div>
    </section>
  );
};
