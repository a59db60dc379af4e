import { Agent, request } from 'node:https';

export interface LoadReport {
  sent: number;
  ok: number;
  failures: { status?: number; error?: string; at: number }[];
  /** Response bodies' first word (the app version) → count. */
  versions: Record<string, number>;
  durationMs: number;
  ratePerSecond: number;
}

/**
 * Steady HTTPS GETs to Caddy on the loopback address (SNI and Host = hostname), `ratePerSecond`
 * requests a second with at most `concurrency` in flight, until `until()` says stop and at least
 * `minRequests` were sent — bounded by `maxRequests` and `maxDurationMs` whatever happens.
 */
export const runLoad = async (options: {
  hostname: string;
  ca: string;
  ratePerSecond: number;
  minRequests: number;
  maxRequests: number;
  maxDurationMs: number;
  concurrency?: number;
  until: () => boolean;
}): Promise<LoadReport> => {
  const agent = new Agent({ keepAlive: true, maxSockets: options.concurrency ?? 16, ca: options.ca, servername: options.hostname });
  const report: LoadReport = { sent: 0, ok: 0, failures: [], versions: {}, durationMs: 0, ratePerSecond: 0 };
  const started = Date.now();
  let inFlight = 0;
  const one = () =>
    new Promise<void>((resolve) => {
      const at = Date.now() - started;
      const req = request(
        { host: '127.0.0.1', port: 443, path: '/', servername: options.hostname, headers: { host: options.hostname }, agent, timeout: 10_000 },
        (res) => {
          let body = '';
          res.setEncoding('utf8');
          res.on('data', (chunk) => (body += chunk));
          res.on('end', () => {
            if (res.statusCode === 200) {
              report.ok++;
              const version = body.split(' ')[0];
              report.versions[version] = (report.versions[version] ?? 0) + 1;
            } else report.failures.push({ status: res.statusCode, error: body.slice(0, 200), at });
            resolve();
          });
          res.on('error', (err) => (report.failures.push({ error: err.message, at }), resolve()));
        },
      );
      req.on('timeout', () => req.destroy(new Error('timed out')));
      req.on('error', (err) => (report.failures.push({ error: err.message, at }), resolve()));
      req.end();
    });

  const pending: Promise<void>[] = [];
  const interval = 1000 / options.ratePerSecond;
  for (let next = Date.now(); ; next += interval) {
    const elapsed = Date.now() - started;
    if (report.sent >= options.maxRequests || elapsed >= options.maxDurationMs) break;
    if (report.sent >= options.minRequests && options.until()) break;
    const wait = next - Date.now();
    if (wait > 0) await new Promise((r) => setTimeout(r, wait));
    if (inFlight >= (options.concurrency ?? 16)) {
      await Promise.race(pending);
      continue;
    }
    inFlight++;
    report.sent++;
    const p = one().finally(() => {
      inFlight--;
      pending.splice(pending.indexOf(p), 1);
    });
    pending.push(p);
  }
  await Promise.all(pending);
  agent.destroy();
  report.durationMs = Date.now() - started;
  report.ratePerSecond = Math.round((report.sent / report.durationMs) * 1000);
  return report;
};
