import { readFileSync } from 'node:fs';
import { request as httpRequest, type RequestOptions } from 'node:http';
import { Agent, request } from 'node:https';
import { infraEnv } from '../infra-env';

/** Caddy answered (an HTTP error) or did not within 5 s: no point asking again at once. */
class AdminAnswer extends Error {}

/** One GET to Caddy's admin API, at `unix:<socket>` (as infra/scripts/caddy.sh runs it) or an http URL. */
const getOnce = (address: string, path: string): Promise<string> =>
  new Promise((resolve, reject) => {
    const target = address.startsWith('unix:') ? { socketPath: address.slice(5), path, host: 'localhost' } : new URL(path, address);
    const req = httpRequest(target as RequestOptions, (res) => {
      let body = '';
      res.on('data', (c: Buffer) => (body += c));
      res.on('end', () => ((res.statusCode ?? 0) < 300 ? resolve(body) : reject(new AdminAnswer(`Caddy admin ${path}: HTTP ${res.statusCode}: ${body}`))));
    });
    req.setTimeout(5_000, () => req.destroy(new AdminAnswer(`Caddy admin ${path}: no answer within 5 s`)));
    req.on('error', reject);
    req.end();
  });

/**
 * A GET on Caddy's admin API. Caddy 2.6 replaces its admin server on every config load, and a
 * request that meets the swap is dropped: here 15 of 105 GETs during 40 loads ended in "socket hang
 * up", ECONNRESET or EPIPE, and a CI run lost the metrics e2e to one. So a dropped connection is
 * asked again, for up to 10 s; an answer, even an error, is final.
 */
export const caddyAdminGet = async (address: string, path: string): Promise<string> => {
  const until = Date.now() + 10_000;
  for (;;) {
    try {
      return await getOnce(address, path);
    } catch (err) {
      if (err instanceof AdminAnswer || Date.now() > until) throw err;
      await new Promise((r) => setTimeout(r, 100));
    }
  }
};

/**
 * The roots a test trusts at the edge: Pebble's (ACME names such as *.slipway.test) and Caddy's
 * own CA (local names such as *.localhost), read from the running infrastructure.
 */
export const edgeRoots = async (): Promise<string[]> => {
  const env = infraEnv();
  const admin = readFileSync(env.CADDY_ADMIN_URL_FILE, 'utf8').trim();
  const local = (JSON.parse(await caddyAdminGet(admin, '/pki/ca/local')) as { root_certificate: string }).root_certificate;
  return [readFileSync(env.ACME_ROOT_PEM, 'utf8'), local];
};

/**
 * HTTPS to Caddy on 127.0.0.1:443 for any hostname (SNI + Host), trusting only the given root:
 * a response proves the certificate chains to it (Pebble's root in tests).
 */
export class HttpsTestClient {
  private readonly agent: Agent;

  constructor(private readonly ca: string | string[]) {
    this.agent = new Agent({ keepAlive: true, maxSockets: 32, ca });
  }

  /** `send`: another method, with a body (e.g. PUT a file to the test app). */
  get(url: string, timeoutMs = 10_000, send?: { method: string; body: string }): Promise<{ status: number; body: string; issuer: string }> {
    const { hostname, pathname, search } = new URL(url);
    return new Promise((resolve, reject) => {
      const req = request(
        { host: '127.0.0.1', port: 443, servername: hostname, path: `${pathname}${search}`, method: send?.method ?? 'GET', headers: { host: hostname }, agent: this.agent, timeout: timeoutMs },
        (res) => {
          // Read now: a kept-alive socket is handed back to the agent (and detached) at the end.
          const cert = (res.socket as import('node:tls').TLSSocket).getPeerCertificate?.();
          let body = '';
          res.setEncoding('utf8');
          res.on('data', (chunk) => (body += chunk));
          res.on('end', () => {
            resolve({ status: res.statusCode ?? 0, body, issuer: String(cert?.issuer?.CN ?? '') });
          });
        },
      );
      req.on('timeout', () => req.destroy(new Error(`timed out after ${timeoutMs} ms`)));
      req.on('error', reject);
      req.end(send?.body);
    });
  }

  /**
   * Sends requests at `rate` per second until `stop()` is called (or `maxRequests` is reached),
   * counting every answer that is not a 200 and every network error.
   */
  load(url: string, rate: number, maxRequests: number) {
    let sent = 0;
    let failed = 0;
    const failures: string[] = [];
    const pending = new Set<Promise<void>>();
    let stopped = false;
    const started = Date.now();
    const loop = (async () => {
      while (!stopped && sent < maxRequests) {
        const due = started + (sent * 1000) / rate;
        const wait = due - Date.now();
        if (wait > 0) await new Promise((r) => setTimeout(r, wait));
        sent++;
        const p = this.get(url, 10_000)
          .then((r) => {
            if (r.status !== 200) {
              failed++;
              failures.push(`HTTP ${r.status}`);
            }
          })
          .catch((err: Error) => {
            failed++;
            failures.push(err.message);
          })
          .finally(() => pending.delete(p));
        pending.add(p);
      }
    })();
    return {
      stop: async () => {
        stopped = true;
        await loop;
        await Promise.all(pending);
        const seconds = (Date.now() - started) / 1000;
        return { sent, failed, failures: failures.slice(0, 10), ratePerSecond: sent / seconds };
      },
      sentSoFar: () => sent,
    };
  }

  close(): void {
    this.agent.destroy();
  }
}
