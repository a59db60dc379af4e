/** Writes Prometheus text to VictoriaMetrics (`POST /api/v1/import/prometheus`). */
export class VictoriaMetricsWriter {
  constructor(private readonly url: string) {}

  async write(text: string): Promise<void> {
    if (!text) return;
    const res = await fetch(`${this.url.replace(/\/$/, '')}/api/v1/import/prometheus`, {
      method: 'POST',
      headers: { 'content-type': 'text/plain' },
      body: text,
      signal: AbortSignal.timeout(10_000),
    }).catch((err: Error) => {
      throw new Error(`VictoriaMetrics at ${this.url} did not answer (${err.message}); is it running? (infra/scripts/victoriametrics.sh start)`);
    });
    if (!res.ok) throw new Error(`VictoriaMetrics refused the metrics (${res.status}): ${(await res.text()).slice(0, 200)}`);
  }
}
