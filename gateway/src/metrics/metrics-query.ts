import { escapeLabelValue, runtimeMetric as m } from '@slipway/proto';

/** A chart needs no more points than a screen has pixels; a step that would give more is raised. */
export const MAX_POINTS = 1_500;
/** The collector writes every 10 s: a finer step only repeats points. */
export const MIN_STEP_SECONDS = 10;
/** Without a step: about 300 points over the range. */
export const DEFAULT_POINTS = 300;

export interface TimeRange {
  /** Seconds since the epoch. */
  start: number;
  end: number;
  step: number;
}

export class MetricsRangeError extends Error {
  constructor(
    message: string,
    readonly field: 'from' | 'to' | 'step',
  ) {
    super(message);
  }
}

const seconds = (iso: string, field: 'from' | 'to'): number => {
  const ms = Date.parse(iso);
  if (!/^\d{4}-\d{2}-\d{2}T/.test(iso) || Number.isNaN(ms)) {
    throw new MetricsRangeError(`"${iso}" is not a time: give an ISO 8601 time such as 2026-11-30T07:00:00Z`, field);
  }
  return Math.floor(ms / 1000);
};

/**
 * The range to ask for: from before to, a step of at least 10 s, and no more than MAX_POINTS
 * points (a smaller step is raised to fit, which the points' times show).
 */
export const timeRange = (from: string, to: string, step?: number | null): TimeRange => {
  const start = seconds(from, 'from');
  const end = seconds(to, 'to');
  if (end <= start) throw new MetricsRangeError(`"to" (${to}) must come after "from" (${from})`, 'to');
  if (step != null && (!Number.isInteger(step) || step <= 0)) throw new MetricsRangeError(`The step is in whole seconds above 0, not ${step}`, 'step');
  const span = end - start;
  const wanted = step ?? Math.ceil(span / DEFAULT_POINTS);
  return { start, end, step: Math.max(wanted, MIN_STEP_SECONDS, Math.ceil(span / (MAX_POINTS - 1))) };
};

const sel = (name: string, serviceId: string) => `${name}{service="${escapeLabelValue(serviceId)}"}`;

/**
 * One MetricsQL expression per field, summed over the service's containers. Gauges take the last
 * value in each step; network counters become bytes per second over the step (a counter restarts
 * with each new container, which rate() accounts for).
 */
export const serviceQueries = (serviceId: string, step: number) => ({
  cpu: `sum(last_over_time(${sel(m.containerCpuCores, serviceId)}[${step}s]))`,
  memoryBytes: `sum(last_over_time(${sel(m.containerMemoryBytes, serviceId)}[${step}s]))`,
  netRxBytes: `sum(rate(${sel(m.containerNetRxBytes, serviceId)}[${Math.max(step, 30)}s]))`,
  netTxBytes: `sum(rate(${sel(m.containerNetTxBytes, serviceId)}[${Math.max(step, 30)}s]))`,
  restarts: `sum(last_over_time(${sel(m.containerRestarts, serviceId)}[${step}s]))`,
});

export const hostQueries = (step: number) => ({
  cpu: `last_over_time(${m.hostCpuCores}[${step}s])`,
  memoryBytes: `last_over_time(${m.hostMemoryBytes}[${step}s])`,
  memoryTotalBytes: `last_over_time(${m.hostMemoryTotalBytes}[${step}s])`,
  diskUsedBytes: `last_over_time(${m.hostDiskUsedBytes}[${step}s])`,
  diskTotalBytes: `last_over_time(${m.hostDiskTotalBytes}[${step}s])`,
  load1: `last_over_time(${m.hostLoad1}[${step}s])`,
});

/** A `query_range` answer's series: `[seconds, "value"]` pairs. */
export type RangeSeries = { values: [number, string][] }[];

/**
 * Points by time, one field per query: only times at which some field has a value (a service that
 * did not run in part of the range has no points there rather than zeros); a field missing at a
 * time where others have one is 0.
 */
export const mergePoints = <K extends string>(series: Record<K, RangeSeries>): ({ at: string } & Record<K, number>)[] => {
  const byTime = new Map<number, Record<string, number>>();
  for (const [field, result] of Object.entries(series) as [K, RangeSeries][]) {
    for (const s of result) {
      for (const [t, v] of s.values) {
        const value = Number(v);
        if (!Number.isFinite(value)) continue;
        const point = byTime.get(t) ?? {};
        point[field] = (point[field] ?? 0) + value;
        byTime.set(t, point);
      }
    }
  }
  const fields = Object.keys(series) as K[];
  return [...byTime.entries()]
    .sort(([a], [b]) => a - b)
    .map(([t, point]) => ({ at: new Date(t * 1000).toISOString(), ...(Object.fromEntries(fields.map((f) => [f, point[f] ?? 0])) as Record<K, number>) }));
};
