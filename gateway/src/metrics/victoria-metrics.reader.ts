import type { RangeSeries, TimeRange } from './metrics-query';

/** Reads series from VictoriaMetrics' Prometheus-compatible `/api/v1/query_range`. */
export class VictoriaMetricsReader {
  constructor(private readonly url = process.env.VICTORIAMETRICS_URL ?? 'http://127.0.0.1:8428') {}

  async queryRange(query: string, range: TimeRange): Promise<RangeSeries> {
    const params = new URLSearchParams({ query, start: String(range.start), end: String(range.end), step: `${range.step}s` });
    const res = await fetch(`${this.url.replace(/\/$/, '')}/api/v1/query_range?${params}`, { signal: AbortSignal.timeout(15_000) }).catch((err: Error) => {
      throw new Error(`The metrics store did not answer (${err.message}); metrics are unavailable until it is back`);
    });
    const body = (await res.json().catch(() => ({}))) as { status?: string; error?: string; data?: { result?: RangeSeries } };
    if (!res.ok || body.status !== 'success') throw new Error(`The metrics store refused the query: ${body.error ?? res.status}`);
    return body.data?.result ?? [];
  }

  /** The first series' value of an instant query (undefined when there is none); null when the store does not answer. */
  async queryValue(query: string): Promise<number | undefined | null> {
    try {
      const res = await fetch(`${this.url.replace(/\/$/, '')}/api/v1/query?${new URLSearchParams({ query, latency_offset: '1s' })}`, { signal: AbortSignal.timeout(5_000) });
      const body = (await res.json()) as { status?: string; data?: { result?: { value?: [number, string] }[] } };
      if (!res.ok || body.status !== 'success') return null;
      const value = body.data?.result?.[0]?.value?.[1];
      return value === undefined ? undefined : Number(value);
    } catch {
      return null;
    }
  }

  /** Every query over one range, at once. */
  async queryAll<K extends string>(queries: Record<K, string>, range: TimeRange): Promise<Record<K, RangeSeries>> {
    const entries = await Promise.all(Object.entries(queries).map(async ([k, q]) => [k, await this.queryRange(q as string, range)] as const));
    return Object.fromEntries(entries) as Record<K, RangeSeries>;
  }
}
