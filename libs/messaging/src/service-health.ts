import { createServer, type Server } from 'node:http';
import type { PlatformConnection } from './platform-connection';

export interface HealthReport {
  service: string;
  status: 'ready' | 'not-ready';
  nats: string;
  streams: string[];
  consumers: string[];
  commands: string[];
  uptimeSeconds: number;
  pid: number;
}

/** What a service says about itself: ready only when connected and wired to its subjects. */
export class ServiceHealth {
  private readonly startedAt = Date.now();
  wired = false;
  readonly streams = new Set<string>();
  readonly consumers = new Set<string>();
  readonly commands = new Set<string>();

  constructor(
    readonly service: string,
    private readonly platform: PlatformConnection,
  ) {}

  report(): HealthReport {
    const ready = this.wired && this.platform.state === 'connected';
    return {
      service: this.service,
      status: ready ? 'ready' : 'not-ready',
      nats: this.platform.state,
      streams: [...this.streams].sort(),
      consumers: [...this.consumers].sort(),
      commands: [...this.commands].sort(),
      uptimeSeconds: Math.round((Date.now() - this.startedAt) / 1000),
      pid: process.pid,
    };
  }
}

/**
 * GET /health on the service's own port: 200 when ready, 503 when not, always with the report.
 * It answers even while NATS is down, which is exactly when an operator needs it. Several services
 * in one process (SLIPWAY_SERVICES) share one port: ready when every one of them is, with each report.
 */
export const serveHealth = (health: ServiceHealth | ServiceHealth[], port: number, host = '127.0.0.1'): Promise<Server> =>
  new Promise((resolve, reject) => {
    const server = createServer((req, res) => {
      if (req.url !== '/health') {
        res.writeHead(404).end();
        return;
      }
      const reports = (Array.isArray(health) ? health : [health]).map((h) => h.report());
      const ready = reports.every((r) => r.status === 'ready');
      res.writeHead(ready ? 200 : 503, { 'content-type': 'application/json' });
      res.end(JSON.stringify(Array.isArray(health) ? { status: ready ? 'ready' : 'not-ready', services: reports } : reports[0]));
    });
    server.once('error', reject);
    server.listen(port, host, () => resolve(server));
  });
