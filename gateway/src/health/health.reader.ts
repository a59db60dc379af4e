import type { NatsConnection } from '@nats-io/transport-node';
import type { HealthReport, PlatformConnection } from '@slipway/messaging';
import { healthSubject, platformServices } from '@slipway/proto';
import type { ReadStore } from '../read-store';

const ask = async (nc: NatsConnection | undefined, service: string, timeoutMs: number) => {
  const unreachable = { name: service, status: 'unreachable', streams: [], consumers: [], commands: [] };
  if (!nc) return unreachable;
  try {
    const report = (await nc.request(healthSubject(service), '', { timeout: timeoutMs })).json<HealthReport>();
    return { ...report, name: service };
  } catch {
    return unreachable;
  }
};

/** Asks every service for its health at once; one that does not answer in time is unreachable. */
export const readHealth = async (platform: PlatformConnection, readStore: ReadStore, timeoutMs = 1_000) => {
  const nc = platform.state === 'connected' ? platform.connection : undefined;
  const [services, mongo] = await Promise.all([
    Promise.all(platformServices.map((s) => ask(nc, s.name, timeoutMs))),
    readStore.ping(),
  ]);
  const gatewayReady = platform.state === 'connected' && mongo === 'connected';
  const gateway = { status: gatewayReady ? 'ready' : 'not-ready', nats: platform.state, mongo };
  const allReady = gatewayReady && services.every((s) => s.status === 'ready');
  return { status: allReady ? 'ready' : 'degraded', gateway, services };
};

export type PlatformHealth = Awaited<ReturnType<typeof readHealth>>;

/**
 * The platform's health as this gateway shares it: at most one report every `freshForMs`, for
 * every caller and every alias of `health` in a request. Anyone may ask, and each report asks
 * every service over NATS and pings the store: one anonymous request with 1,000 aliases of
 * `health` asked 7,000 times. A second old report is soon enough for a status page or a probe.
 */
export class HealthReports {
  private latest?: { report: Promise<PlatformHealth>; settledAt?: number };

  constructor(
    private readonly platform: PlatformConnection,
    private readonly readStore: ReadStore,
    private readonly freshForMs = 1_000,
    private readonly now: () => number = Date.now,
  ) {}

  /** The report being read now, or one read less than `freshForMs` ago, else a new one. */
  read(): Promise<PlatformHealth> {
    const latest = this.latest;
    if (latest && (latest.settledAt === undefined || this.now() - latest.settledAt < this.freshForMs)) return latest.report;
    const next: NonNullable<typeof this.latest> = { report: readHealth(this.platform, this.readStore) };
    this.latest = next;
    next.report.then(
      () => (next.settledAt = this.now()),
      () => this.latest === next && (this.latest = undefined),
    );
    return next.report;
  }
}
