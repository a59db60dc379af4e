import { readFile } from 'node:fs/promises';
import { buildCaddyConfig, type Route, type TlsSettings } from './caddy-config.builder';

export interface CaddyAdminOptions {
  /** File holding the admin API URL (it changes whenever Caddy's task restarts): re-read on connection errors. */
  adminUrlFile?: string;
  /** A fixed URL instead of the file. */
  adminUrl?: string;
  /** Per request (default 10 000 ms). */
  requestTimeoutMs?: number;
  /** How long to keep retrying while Caddy is unreachable, e.g. during a task restart (default 30 000 ms). */
  reconnectTimeoutMs?: number;
  serverName?: string;
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
 * Caddy's admin API (never published: see infra/scripts/caddy.sh). The whole config is replaced with
 * `POST /load`; concurrent writers are kept apart with the ETag of `GET /config/` sent back as
 * `If-Match` (Caddy answers 412 when the config changed in between).
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
    const text = await res.text();
    if (!res.ok) throw new CaddyAdminError(`GET /config/ answered ${res.status}: ${text.trim()}`, res.status);
    return { config: text.trim() ? (JSON.parse(text) as Json | null) : null, etag: res.headers.get('etag') ?? undefined };
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
    const res = await this.request('POST', '/load', JSON.stringify(body), headers);
    const text = await res.text();
    if (res.status === 412) throw new CaddyConfigConflict(`the Caddy config changed since it was read: ${text.trim()}`);
    if (!res.ok) throw new CaddyAdminError(`POST /load answered ${res.status}: ${text.trim()}`, res.status);
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
      const next = buildCaddyConfig(current, list, tls, { serverName: this.options.serverName });
      try {
        await this.load(next, { ifMatch: etag });
        return next;
      } catch (err) {
        if (!(err instanceof CaddyConfigConflict) || attempt >= attempts) throw err;
      }
    }
  }

  /** The admin URL in use (read from the file when not fixed). */
  async adminUrl(refresh = false): Promise<string> {
    if (this.url && (!refresh || !this.options.adminUrlFile)) return this.url;
    const url = (await readFile(this.options.adminUrlFile!, 'utf8')).trim().replace(/\/+$/, '');
    if (!/^https?:\/\//.test(url)) throw new CaddyAdminError(`no admin URL in ${this.options.adminUrlFile}`);
    this.url = url;
    return url;
  }

  /** One request; on a connection error the URL file is re-read and the request retried until Caddy is back. */
  private async request(method: string, path: string, body?: string, headers?: Record<string, string>): Promise<Response> {
    const until = Date.now() + (this.options.reconnectTimeoutMs ?? 30_000);
    let refresh = false;
    for (;;) {
      let url: string | undefined;
      try {
        url = await this.adminUrl(refresh);
        return await fetch(`${url}${path}`, {
          method,
          body,
          headers,
          signal: AbortSignal.timeout(this.options.requestTimeoutMs ?? 10_000),
        });
      } catch (err) {
        if (err instanceof CaddyAdminError && err.status !== undefined) throw err;
        if (Date.now() > until) {
          throw new CaddyAdminError(`Caddy's admin API (${url ?? 'no URL yet'}) is unreachable: ${(err as Error).cause ?? (err as Error).message}`);
        }
        refresh = true;
        await sleep(300);
      }
    }
  }
}
