/** One series of an instant query: its labels and its value now. */
export interface InstantSample {
  labels: Record<string, string>;
  value: number;
}

/** Asks VictoriaMetrics' Prometheus-compatible `/api/v1/query` for the values now (the stats collector's store). */
export class VictoriaMetricsReader {
  constructor(private readonly url: string) {}

  async query(query: string, at = Date.now()): Promise<InstantSample[]> {
    const params = new URLSearchParams({ query, time: String(at / 1000) });
    const res = await fetch(`${this.url.replace(/\/$/, '')}/api/v1/query?${params}`, { signal: AbortSignal.timeout(10_000) }).catch((err: Error) => {
      throw new Error(`VictoriaMetrics at ${this.url} did not answer (${err.message}); alerts wait until it is back`);
    });
    const body = (await res.json().catch(() => ({}))) as { status?: string; error?: string; data?: { result?: { metric: Record<string, string>; value: [number, string] }[] } };
    if (!res.ok || body.status !== 'success') throw new Error(`VictoriaMetrics refused the query ${query}: ${body.error ?? res.status}`);
    return (body.data?.result ?? []).map((r) => ({ labels: r.metric, value: Number(r.value[1]) })).filter((s) => Number.isFinite(s.value));
  }
}
