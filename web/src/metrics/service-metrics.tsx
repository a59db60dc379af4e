import { useQuery } from '@apollo/client/react';
import { Select } from '../ui/select';
import { ErrorNotice } from '../ui/notice';
import { formatBytes, formatCores, LineChart } from './line-chart';
import { ServiceMetricsQuery } from './metrics-documents';
import { RANGES, useMetricsRange } from './use-metrics-range';

const rate = (v: number) => `${formatBytes(v)}/s`;

/** The service's CPU, memory, network and restarts over a chosen window (loaded only when the tab opens). */
export const ServiceMetrics = ({ serviceId }: { serviceId: string }) => {
  const { range, setRange, from, to } = useMetricsRange('15m');
  const q = useQuery(ServiceMetricsQuery, { variables: { serviceId, from, to } });
  const points = (q.data ?? q.previousData)?.serviceMetrics ?? [];
  const times = points.map((p) => p.at);
  return (
    <div className="flex flex-col gap-3" data-testid="service-metrics">
      <div className="flex flex-wrap items-end justify-between gap-3">
        <p className="text-sm text-slate-600 dark:text-slate-400">Summed over the service's running replicas, collected every 10 s.</p>
        <Select label="Time range" hideLabel value={range} onChange={(e) => setRange(e.target.value)} options={RANGES.map(({ value, label }) => ({ value, label }))} />
      </div>
      <ErrorNotice error={q.error} />
      {q.loading && !points.length ? (
        <p className="text-sm text-slate-500">Loading…</p>
      ) : (
        <div className="grid grid-cols-1 gap-3 lg:grid-cols-2">
          <LineChart from={from} to={to} title="CPU (cores)" times={times} format={formatCores} series={[{ label: 'CPU', stroke: 'stroke-sky-600 dark:stroke-sky-400', values: points.map((p) => p.cpu) }]} />
          <LineChart from={from} to={to} title="Memory" times={times} format={formatBytes} binary series={[{ label: 'Used', stroke: 'stroke-violet-600 dark:stroke-violet-400', values: points.map((p) => p.memoryBytes) }]} />
          <LineChart
            from={from}
            to={to}
            title="Network"
            times={times}
            format={rate} binary
            series={[
              { label: 'In', stroke: 'stroke-emerald-600 dark:stroke-emerald-400', values: points.map((p) => p.netRxBytes) },
              { label: 'Out', stroke: 'stroke-amber-600 dark:stroke-amber-400', values: points.map((p) => p.netTxBytes) },
            ]}
          />
          <LineChart from={from} to={to} title="Restarts" times={times} format={(v) => (Number.isInteger(v) ? String(v) : '')} series={[{ label: 'Restarts', stroke: 'stroke-rose-600 dark:stroke-rose-400', values: points.map((p) => p.restarts) }]} />
        </div>
      )}
    </div>
  );
};

export default ServiceMetrics;
