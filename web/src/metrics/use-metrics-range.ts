import { useEffect, useState } from 'react';

export const RANGES = [
  { value: '15m', label: 'Last 15 minutes', ms: 15 * 60_000 },
  { value: '1h', label: 'Last hour', ms: 3600_000 },
  { value: '6h', label: 'Last 6 hours', ms: 6 * 3600_000 },
  { value: '24h', label: 'Last 24 hours', ms: 24 * 3600_000 },
  { value: '7d', label: 'Last 7 days', ms: 7 * 24 * 3600_000 },
] as const;

/** A time window ending now, moved forward every 10 s (the collection interval) so the charts follow. */
export const useMetricsRange = (initial: (typeof RANGES)[number]['value'] = '1h') => {
  const [range, setRange] = useState<string>(initial);
  const [now, setNow] = useState(() => Date.now());
  useEffect(() => {
    const timer = setInterval(() => setNow(Date.now()), 10_000);
    return () => clearInterval(timer);
  }, []);
  const ms = RANGES.find((r) => r.value === range)?.ms ?? 3600_000;
  // Whole 10 s: a re-render within the same 10 s asks for the same window (one request, not one per render).
  const to = Math.ceil(now / 10_000) * 10_000;
  return { range, setRange, from: new Date(to - ms).toISOString(), to: new Date(to).toISOString() };
};
