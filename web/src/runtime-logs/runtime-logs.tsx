import { useApolloClient } from '@apollo/client/react';
import { History, Search } from 'lucide-react';
import { useEffect, useId, useRef, useState } from 'react';
import { LogStore } from '../deployment/log-store';
import { LogView } from '../deployment/log-view';
import { Button } from '../ui/button';
import { EmptyState, ErrorNotice } from '../ui/notice';
import { Select } from '../ui/select';
import { ServiceLogLinesSub, ServiceLogsQuery } from './runtime-logs-documents';
import { matchesSearch, RANGES, toLogLine, type RangeValue, type RuntimeLine } from './runtime-log-lines';

const PAGE = 1000;

const storeOf = (lines: RuntimeLine[]) => {
  const store = new LogStore();
  for (const l of lines) store.push(toLogLine(l));
  return store;
};

/**
 * What the service's containers wrote (stdout and stderr, kept 7 days): the stored lines of a time
 * range, searched in the log store, then new lines as they come.
 */
export const RuntimeLogs = ({ serviceId, serviceName, allowed }: { serviceId: string; serviceName: string; allowed: boolean }) => {
  const client = useApolloClient();
  const [range, setRange] = useState<RangeValue>('1h');
  const [draft, setDraft] = useState('');
  const [search, setSearch] = useState('');
  const [store, setStore] = useState(() => new LogStore());
  // Live lines go to the store shown now, also after older lines were loaded in front of them.
  const shown = useRef(store);
  const show = (next: LogStore) => {
    shown.current = next;
    setStore(next);
  };
  const [older, setOlder] = useState<{ cursor: string | null; since: string }>({ cursor: null, since: '' });
  const [loading, setLoading] = useState(false);
  const [error, setError] = useState<Error | null>(null);
  const searchId = useId();

  useEffect(() => {
    if (!allowed) return;
    let closed = false;
    let unsubscribe = () => {};
    const since = new Date(Date.now() - RANGES.find((r) => r.value === range)!.ms).toISOString();
    setLoading(true);
    setError(null);
    void client
      .query({ query: ServiceLogsQuery, variables: { serviceId, search: search || null, since, first: PAGE }, fetchPolicy: 'no-cache' })
      .then(({ data, error: queryError }) => {
        if (closed) return;
        setLoading(false);
        if (queryError || !data) return setError(queryError ?? new Error('No answer from the server'));
        show(storeOf([...data.serviceLogs.lines].reverse()));
        setOlder({ cursor: data.serviceLogs.nextCursor ?? null, since });
        const sub = client.subscribe({ query: ServiceLogLinesSub, variables: { serviceId }, fetchPolicy: 'no-cache' }).subscribe({
          next: (result) => {
            const line = result.data?.serviceLogLines;
            if (line && matchesSearch(line, search)) shown.current.push(toLogLine(line));
            if (result.error) setError(result.error);
          },
          error: (err: Error) => setError(err),
        });
        unsubscribe = () => sub.unsubscribe();
      }, (err: Error) => !closed && (setLoading(false), setError(err)));
    return () => {
      closed = true;
      unsubscribe();
    };
  }, [client, serviceId, range, search, allowed]);

  const loadOlder = async () => {
    if (!older.cursor) return;
    setLoading(true);
    const { data, error: queryError } = await client.query({
      query: ServiceLogsQuery,
      variables: { serviceId, search: search || null, since: older.since, first: PAGE, after: older.cursor },
      fetchPolicy: 'no-cache',
    });
    setLoading(false);
    if (queryError || !data) return setError(queryError ?? new Error('No answer from the server'));
    const merged = storeOf([...data.serviceLogs.lines].reverse());
    for (const l of shown.current.lines) merged.push(l);
    show(merged);
    setOlder({ cursor: data.serviceLogs.nextCursor ?? null, since: older.since });
  };

  if (!allowed)
    return <EmptyState title="Runtime logs are for developers and up">Ask an admin of the project for the developer role to read what this service prints.</EmptyState>;

  return (
    <div className="flex flex-col gap-3">
      <form
        className="flex flex-wrap items-end gap-2"
        onSubmit={(e) => {
          e.preventDefault();
          setSearch(draft.trim());
        }}
      >
        <div className="flex w-full flex-col gap-1 sm:w-auto sm:min-w-48 sm:flex-1">
          <label htmlFor={searchId} className="text-sm font-medium">Search the stored logs</label>
          <input
            id={searchId}
            type="search"
            value={draft}
            onChange={(e) => setDraft(e.target.value)}
            placeholder="Text anywhere in a line, any case"
            className="rounded-md border border-slate-300 bg-white px-2.5 py-1.5 text-sm dark:border-slate-700 dark:bg-slate-900"
          />
        </div>
        <Select label="Time range" value={range} onChange={(e) => setRange(e.target.value as RangeValue)} options={RANGES.map(({ value, label }) => ({ value, label }))} />
        <Button type="submit" variant="secondary">
          <Search size={14} aria-hidden /> Search
        </Button>
      </form>
      <ErrorNotice error={error} />
      {older.cursor && (
        <div>
          <Button variant="secondary" onClick={() => void loadOlder()} disabled={loading}>
            <History size={14} aria-hidden /> Load older lines
          </Button>
        </div>
      )}
      <LogView
        filter={false}
        store={store}
        fileName={`${serviceName}-${new Date().toISOString().slice(0, 19).replace(/:/g, '')}.log`}
        emptyText={loading ? 'Loading…' : search ? 'No line in this time range matches the search. New matching lines appear here as they are written.' : 'Nothing written in this time range. New lines appear here as the service writes them.'}
      />
    </div>
  );
};
