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
