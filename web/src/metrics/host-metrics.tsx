import { useQuery } from '@apollo/client/react';
import { Select } from '../ui/select';
import { ErrorNotice } from '../ui/notice';
import { formatBytes, formatCores, LineChart } from './line-chart';
import { HostMetricsQuery } from './metrics-documents';
import { RANGES, useMetricsRange } from './use-metrics-range';

/** The machine's CPU, memory, disk and load over a chosen window. */
export const HostMetrics = () => {
  const { range, setRange, from, to } = useMetricsRange();
  const q = useQuery(HostMetricsQuery, { variables: { from, to } });
  const points = (q.data ?? q.previousData)?.hostMetrics ?? [];
  const times = points.map((p) => p.at);
  const last = points.at(-1);
  return (
    <div className="flex flex-col gap-3" data-testid="host-metrics">
      <div className="flex flex-wrap items-end justify-between gap-3">
        <p className="text-sm text-slate-600 dark:text-slate-400">
          {last ? `Memory ${formatBytes(last.memoryBytes)} of ${formatBytes(last.memoryTotalBytes)}; disk ${formatBytes(last.diskUsedBytes)} of ${formatBytes(last.diskTotalBytes)}.` : 'Collected every 10 s by the metrics service.'}
        </p>
        <Select label="Time range" hideLabel value={range} onChange={(e) => setRange(e.target.value)} options={RANGES.map(({ value, label }) => ({ value, label }))} />
      </div>
      <ErrorNotice error={q.error} />
      {q.loading && !points.length ? (
        <p className="text-sm text-slate-500">Loading…</p>
      ) : (
        <div className="grid grid-cols-1 gap-3 lg:grid-cols-2">
          <LineChart from={from} to={to} title="CPU (cores)" times={times} format={formatCores} series={[{ label: 'Busy', stroke: 'stroke-sky-600 dark:stroke-sky-400', values: points.map((p) => p.cpu) }]} />
          <LineChart from={from} to={to} title="Load (1 min)" times={times} format={(v) => v.toFixed(2)} series={[{ label: 'Load', stroke: 'stroke-slate-600 dark:stroke-slate-300', values: points.map((p) => p.load1) }]} />
          <LineChart
            from={from}
            to={to}
            title="Memory"
            times={times}
            format={formatBytes} binary
            series={[
              { label: 'Used', stroke: 'stroke-violet-600 dark:stroke-violet-400', values: points.map((p) => p.memoryBytes) },
              { label: 'Total', stroke: 'stroke-slate-400 dark:stroke-slate-500', values: points.map((p) => p.memoryTotalBytes) },
            ]}
          />
          <LineChart
            from={from}
            to={to}
            title="Disk (data directory)"
            times={times}
            format={formatBytes} binary
            series={[
              { label: 'Used', stroke: 'stroke-amber-600 dark:stroke-amber-400', values: points.map((p) => p.diskUsedBytes) },
              { label: 'Total', stroke: 'stroke-slate-400 dark:stroke-slate-500', values: points.map((p) => p.diskTotalBytes) },
            ]}
          />
        </div>
      )}
    </div>
  );
};
