const MIB = 1024 * 1024;

/**
 * A project's volume storage as the metrics service measured it last (slipway_volume_bytes, every
 * minute), from VictoriaMetrics. Undefined when the store does not answer: a deployment is then not
 * refused for storage it could not see (the other limits still hold).
 */
export class VolumeStorage {
  constructor(private readonly url = process.env.VICTORIAMETRICS_URL ?? 'http://127.0.0.1:8428') {}

  async usedMb(projectId: string): Promise<number | undefined> {
    const query = `sum(last_over_time(slipway_volume_bytes{project="${projectId.replace(/[^A-Za-z0-9_-]/g, '')}"}[5m]))`;
    try {
      const res = await fetch(`${this.url.replace(/\/$/, '')}/api/v1/query?${new URLSearchParams({ query, latency_offset: '1s' })}`, { signal: AbortSignal.timeout(5_000) });
      const body = (await res.json()) as { status?: string; data?: { result?: { value?: [number, string] }[] } };
      if (!res.ok || body.status !== 'success') return undefined;
      const value = body.data?.result?.[0]?.value?.[1];
      return value === undefined ? 0 : Number(value) / MIB;
    } catch {
      return undefined;
    }
  }
}
