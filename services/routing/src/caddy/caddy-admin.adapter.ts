import { readFile } from 'node:fs/promises';
import { request as httpRequest, type IncomingMessage } from 'node:http';
import { buildCaddyConfig, type ConfigOwnership, type Route, type TlsSettings } from './caddy-config.builder';

export interface CaddyAdminOptions extends ConfigOwnership {
  /** File holding the admin API's address (`unix:<socket path>`, or an http URL): re-read on connection errors. */
  adminUrlFile?: string;
  /** A fixed URL instead of the file. */
  adminUrl?: string;
  /** Per request (default 10 000 ms). */
  requestTimeoutMs?: number;
  /** How long to keep retrying while Caddy is unreachable, e.g. during a task restart (default 30 000 ms). */
  reconnectTimeoutMs?: number;
}

/** Another writer changed the config since it was read (412 on `If-Match`). */
export class CaddyConfigConflict extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'CaddyConfigConflict';
  }
}

export class CaddyAdminError extends Error {
  constructor(
    message: string,
    readonly status?: number,
  ) {
    super(message);
    this.name = 'CaddyAdminError';
  }
}

type Json = Record<string, unknown>;
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/**
 * Caddy's admin API (never published: see infra/scripts/caddy.sh). The whole config is replaced at
 * once; concurrent writers are kept apart with the ETag of `GET /config/` sent back as `If-Match`
 * (Caddy answers 412 when the config changed in between). Caddy 2.6.2 sends that ETag as an HTTP
 * trailer and checks If-Match on `POST /config/` but not on `POST /load`, so a guarded write goes to
 * `/config/` (same effect: the whole config replaced and reloaded).
 */
export class CaddyAdmin {
  private url: string | undefined;

  constructor(private readonly options: CaddyAdminOptions) {
    if (!options.adminUrl && !options.adminUrlFile) throw new Error('CaddyAdmin needs adminUrl or adminUrlFile');
    this.url = options.adminUrl;
  }

  /** The current config (null when Caddy runs without one) and its ETag. */
  async currentConfig(): Promise<{ config: Json | null; etag?: string }> {
    const res = await this.request('GET', '/config/');
    if (res.status !== 200) throw new CaddyAdminError(`GET /config/ answered ${res.status}: ${res.body.trim()}`, res.status);
    // Caddy 2.6 sends the ETag as an HTTP trailer (after the body), not as a header.
    const etag = res.trailers.etag ?? res.headers.etag;
    return { config: res.body.trim() ? (JSON.parse(res.body) as Json | null) : null, etag: typeof etag === 'string' ? etag : undefined };
  }

  /**
   * Replaces the whole config. A config without an `admin` block gets the current one, so the admin
   * API never moves to Caddy's default address (inside the container, out of reach).
   */
  async load(config: unknown, options: { ifMatch?: string } = {}): Promise<void> {
    if (!config || typeof config !== 'object') throw new Error('refusing to load an empty config: POST /load with no config unloads everything');
    let body = config as Json;
    if (!body.admin) {
      const { config: current } = await this.currentConfig();
      if (current?.admin) body = { admin: current.admin, ...body };
    }
    const headers: Record<string, string> = { 'content-type': 'application/json' };
    if (options.ifMatch) headers['if-match'] = options.ifMatch;
    // Caddy 2.6.2 ignores If-Match on /load; POST /config/ replaces the same whole config and checks it.
    const path = options.ifMatch ? '/config/' : '/load';
    const res = await this.request('POST', path, JSON.stringify(body), headers);
    if (res.status === 412) throw new CaddyConfigConflict(`the Caddy config changed since it was read: ${res.body.trim()}`);
    if (res.status !== 200) throw new CaddyAdminError(`POST ${path} answered ${res.status}: ${res.body.trim()}`, res.status);
  }

  /**
   * Rebuilds the config from the route list on top of the current one and loads it, guarded by
   * the ETag; on a conflict it re-reads and tries again. `routes` may be computed from the config
   * just read (to change a few routes and keep the others).
   */
  async applyRoutes(routes: Route[] | ((current: Json | null) => Route[]), tls: TlsSettings, options: { attempts?: number } = {}): Promise<Json> {
    const attempts = options.attempts ?? 5;
    for (let attempt = 1; ; attempt++) {
      const { config: current, etag } = await this.currentConfig();
      const list = typeof routes === 'function' ? routes(current) : routes;
      const next = buildCaddyConfig(current, list, tls, { serverName: this.options.serverName, routeIdPrefix: this.options.routeIdPrefix });
      try {
        await this.load(next, { ifMatch: etag });
        return next;
      } catch (err) {
        if (!(err instanceof CaddyConfigConflict) || attempt >= attempts) throw err;
      }
    }
  }

  /** The root of Caddy's internal CA (it signs the certificates of local names: usesInternalCa). */
  async localCaRootPem(): Promise<string> {
    const res = await this.request('GET', '/pki/ca/local');
    if (res.status !== 200) throw new CaddyAdminError(`GET /pki/ca/local answered ${res.status}: ${res.body.trim()}`, res.status);
    return String((JSON.parse(res.body) as { root_certificate?: string }).root_certificate ?? '');
  }

  /** The admin URL in use (read from the file when not fixed). */
  async adminUrl(refresh = false): Promise<string> {
    if (this.url && (!refresh || !this.options.adminUrlFile)) return this.url;
    const url = (await readFile(this.options.adminUrlFile!, 'utf8')).trim().replace(/\/+$/, '');
    if (!/^(https?:\/\/|unix:\/)/.test(url)) throw new CaddyAdminError(`no admin address in ${this.options.adminUrlFile}`);
    this.url = url;
    return url;
  }

  /** One request; on a connection error the URL file is re-read and the request retried until Caddy is back. */
  private async request(method: string, path: string, body?: string, headers: Record<string, string> = {}): Promise<AdminResponse> {
    const until = Date.now() + (this.options.reconnectTimeoutMs ?? 30_000);
    let refresh = false;
    for (;;) {
      let url: string | undefined;
      try {
        url = await this.adminUrl(refresh);
        return await send(url, path, method, body, headers, this.options.requestTimeoutMs ?? 10_000);
      } catch (err) {
        if (Date.now() > until) {
          throw new CaddyAdminError(`Caddy's admin API (${url ?? 'no URL yet'}) is unreachable: ${(err as Error).message}`);
        }
        refresh = true;
        await sleep(300);
      }
    }
  }
}

interface AdminResponse {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  trailers: Record<string, string | undefined>;
  body: string;
}

/**
 * `unix:<path>` (Caddy's admin socket, see infra/images/caddy/entrypoint.sh; Caddy wants the Host
 * "localhost" there) or an http URL.
 */
const target = (address: string, path: string) =>
  address.startsWith('unix:') ? { socketPath: address.slice('unix:'.length), path, host: 'localhost' } : new URL(path, address);

/** node:http rather than fetch: fetch does not expose HTTP trailers, where Caddy puts the ETag; nor does it speak over a unix socket. */
const send = (address: string, path: string, method: string, body: string | undefined, headers: Record<string, string>, timeoutMs: number) =>
  new Promise<AdminResponse>((resolve, reject) => {
    const options = { method, headers: body ? { ...headers, 'content-length': Buffer.byteLength(body) } : headers, timeout: timeoutMs };
    const at = target(address, path);
    const callback = (res: IncomingMessage) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () =>
        resolve({ status: res.statusCode ?? 0, headers: res.headers, trailers: res.trailers, body: Buffer.concat(chunks).toString('utf8') }),
      );
      res.on('error', reject);
    };
    const req = at instanceof URL ? httpRequest(at, options, callback) : httpRequest({ ...at, ...options }, callback);
    req.on('timeout', () => req.destroy(new Error(`no answer within ${timeoutMs} ms`)));
    req.on('error', reject);
    req.end(body);
  });
