import { Logger } from '@nestjs/common';
import { RUNTIME_LOG_STREAM_FIELDS, type RuntimeLogRecord } from '@slipway/proto';

export interface ShipperLimits {
  /** A batch goes out when it holds this many lines… */
  batchLines: number;
  /** …or when its first line has waited this long. */
  batchMs: number;
  /** Lines held while VictoriaLogs does not answer; beyond this the oldest are dropped (and counted). */
  maxPendingLines: number;
}

export const DEFAULT_SHIPPER_LIMITS: ShipperLimits = { batchLines: 2_000, batchMs: 250, maxPendingLines: 50_000 };

/**
 * Sends runtime log lines to VictoriaLogs' /insert/jsonline in batches, one at a time. Memory is
 * bounded: at most maxPendingLines wait, whatever VictoriaLogs does.
 */
export class VictoriaLogsShipper {
  private pending: RuntimeLogRecord[] = [];
  private timer: NodeJS.Timeout | null = null;
  private sending: Promise<void> | null = null;
  private readonly log = new Logger('runtime-logs');
  readonly stats = { shipped: 0, dropped: 0, failedBatches: 0 };

  constructor(
    private readonly baseUrl: string,
    private readonly limits: ShipperLimits = DEFAULT_SHIPPER_LIMITS,
  ) {}

  add(record: RuntimeLogRecord) {
    this.pending.push(record);
    if (this.pending.length > this.limits.maxPendingLines) {
      const over = this.pending.length - this.limits.maxPendingLines;
      this.pending.splice(0, over);
      this.stats.dropped += over;
    }
    // While a batch is on its way, the lines wait for the flush that follows it (one waiter, not one per line).
    if (this.pending.length >= this.limits.batchLines && !this.sending) void this.flush();
    else this.timer ??= setTimeout(() => void this.flush(), this.limits.batchMs);
  }

  /** Sends everything held now (and waits for a batch already on its way). */
  async flush(): Promise<void> {
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
    while (this.sending) await this.sending;
    if (this.pending.length === 0) return;
    const batch = this.pending.splice(0, this.limits.batchLines);
    this.sending = this.send(batch).finally(() => (this.sending = null));
    await this.sending;
    if (this.pending.length) this.timer ??= setTimeout(() => void this.flush(), this.pending.length >= this.limits.batchLines ? 0 : this.limits.batchMs);
  }

  private async send(batch: RuntimeLogRecord[]) {
    const url = `${this.baseUrl}/insert/jsonline?_stream_fields=${RUNTIME_LOG_STREAM_FIELDS.join(',')}&_msg_field=_msg&_time_field=_time`;
    try {
      const res = await fetch(url, {
        method: 'POST',
        // Without a JSON content type VictoriaLogs reads the body as a form and stores nothing (answering 200).
        headers: { 'content-type': 'application/stream+json' },
        body: batch.map((r) => JSON.stringify(r)).join('\n') + '\n',
        signal: AbortSignal.timeout(10_000),
      });
      if (!res.ok) throw new Error(`VictoriaLogs answered ${res.status}: ${(await res.text()).slice(0, 200)}`);
      this.stats.shipped += batch.length;
    } catch (err) {
      this.stats.failedBatches++;
      // Put the lines back (oldest first) and try again with the next flush; the bound still holds.
      this.pending.unshift(...batch);
      if (this.pending.length > this.limits.maxPendingLines) {
        const over = this.pending.length - this.limits.maxPendingLines;
        this.pending.splice(0, over);
        this.stats.dropped += over;
      }
      if (this.stats.failedBatches === 1 || this.stats.failedBatches % 100 === 0) {
        this.log.warn(`Could not store ${batch.length} log lines in VictoriaLogs at ${this.baseUrl} (${(err as Error).message}); retrying`);
      }
      await new Promise((r) => setTimeout(r, 1_000).unref());
    }
  }
}
