import { stoppedPageHandler } from './stopped-page';

/**
 * The whole Caddy config, rebuilt from the list of routes: the route list is the truth, so a lost or
 * corrupted config is restored by loading this again. Pure: `base` (the current config) only gives
 * the parts that are not about routes (admin block, other apps and servers, ports, ACME issuer).
 */

export interface Route {
  routeId: string;
  hostnames: string[];
  /** `dnsName` is `tasks.<swarmService>`: the A records of the service's healthy tasks (dnsrr). */
  upstream: { dnsName: string; port: number };
  /** The project network Caddy must be attached to, to reach the upstream. */
  network: string;
  /** The service is stopped: its hostnames keep their certificates and answer with the stopped page. */
  stopped?: boolean;
  /** A preview copy's route: it goes with its preview. */
  previewId?: string;
}

export interface TlsSettings {
  /** ACME directory (Pebble in tests, Let's Encrypt when absent and the base config has no issuer). */
  acmeCaUrl?: string;
  /**
   * Path, inside Caddy's container, of a PEM file with the roots that sign the ACME server's own
   * TLS certificate; null: the system's roots (a public CA such as Let's Encrypt).
   */
  trustedRootsPemFile?: string | null;
}

export const CADDY_SERVER_NAME = 'slipway';
export const CATCH_ALL_ROUTE_ID = 'slipway-catch-all';
export const ACME_POLICY_ID = 'slipway-acme';
export const ROUTES_POLICY_ID = 'slipway-acme-routes';
export const LOCAL_ROUTES_POLICY_ID = 'slipway-internal-routes';
export const ROUTE_ID_PREFIX = 'slipway-route-';

/**
 * Who owns which routes: a writer rebuilds only the routes whose `@id` has its prefix (and its own
 * TLS policy), and keeps everything else. The routing service uses the defaults; a test (or any
 * other writer) with its own prefix can share the same Caddy without either erasing the other.
 */
export interface ConfigOwnership {
  serverName?: string;
  routeIdPrefix?: string;
}

const ownership = (options: ConfigOwnership) => {
  const routeIdPrefix = options.routeIdPrefix ?? ROUTE_ID_PREFIX;
  return {
    serverName: options.serverName ?? CADDY_SERVER_NAME,
    routeIdPrefix,
    policyId: routeIdPrefix === ROUTE_ID_PREFIX ? ROUTES_POLICY_ID : `${routeIdPrefix}acme`,
    localPolicyId: routeIdPrefix === ROUTE_ID_PREFIX ? LOCAL_ROUTES_POLICY_ID : `${routeIdPrefix}internal`,
  };
};

/**
 * Names no public CA will certify (localhost and its subdomains, local-only suffixes, IP
 * addresses) get Caddy's own CA: it needs no ACME server, so nothing outside Caddy (a restarted
 * Pebble, an unreachable CA) can keep a local app from its certificate.
 */
export const usesInternalCa = (hostname: string): boolean =>
  hostname === 'localhost' ||
  ['.localhost', '.local', '.internal', '.home.arpa'].some((suffix) => hostname.endsWith(suffix)) ||
  /^[0-9.]+$/.test(hostname) ||
  hostname.includes(':');

/**
 * Upstream behaviour that makes a rolling update invisible to clients:
 * - the task list (`tasks.<service>`, only healthy tasks are in it) is re-resolved every second;
 * - a GET that fails (task gone, connection refused or reset) is retried on another task for up to
 *   5 s, every 250 ms;
 * - a task that failed a request is avoided for 2 s (passive health), shorter than the retry window
 *   so a single-replica service is retried, not refused.
 */
export const UPSTREAM_POLICY = {
  refresh: '1s',
  tryDuration: '5s',
  tryInterval: '250ms',
  failDuration: '2s',
  maxFails: 1,
  dialTimeout: '2s',
} as const;

type Json = Record<string, unknown>;
const isObject = (v: unknown): v is Json => typeof v === 'object' && v !== null && !Array.isArray(v);
const obj = (v: unknown): Json => (isObject(v) ? v : {});
const arr = (v: unknown): unknown[] => (Array.isArray(v) ? v : []);

/** Hostnames claimed by more than one route; the first route (by routeId) keeps them. */
export const findHostnameConflicts = (routes: Route[]): { hostname: string; routeIds: string[] }[] => {
  const owners = new Map<string, string[]>();
  for (const route of [...routes].sort((a, b) => a.routeId.localeCompare(b.routeId))) {
    for (const host of new Set(route.hostnames.map((h) => h.toLowerCase()))) owners.set(host, [...(owners.get(host) ?? []), route.routeId]);
  }
  return [...owners].filter(([, ids]) => ids.length > 1).map(([hostname, routeIds]) => ({ hostname, routeIds }));
};

/** Routes in a deterministic order, each hostname owned by one route, routes without hostnames left out. */
const normalise = (routes: Route[]): Route[] => {
  const claimed = new Set<string>();
  return [...routes]
    .sort((a, b) => a.routeId.localeCompare(b.routeId))
    .map((route) => {
      const hostnames = [...new Set(route.hostnames.map((h) => h.toLowerCase()))].filter((h) => !claimed.has(h)).sort();
      hostnames.forEach((h) => claimed.add(h));
      return { ...route, hostnames };
    })
    .filter((route) => route.hostnames.length > 0);
};

const reverseProxy = (upstream: Route['upstream']): Json => ({
  handler: 'reverse_proxy',
  dynamic_upstreams: { source: 'a', name: upstream.dnsName, port: String(upstream.port), refresh: UPSTREAM_POLICY.refresh },
  load_balancing: {
    selection_policy: { policy: 'round_robin' },
    try_duration: UPSTREAM_POLICY.tryDuration,
    try_interval: UPSTREAM_POLICY.tryInterval,
  },
  health_checks: { passive: { fail_duration: UPSTREAM_POLICY.failDuration, max_fails: UPSTREAM_POLICY.maxFails } },
  transport: { protocol: 'http', dial_timeout: UPSTREAM_POLICY.dialTimeout },
});

/** One Caddy route per Slipway route: plain HTTP is redirected to HTTPS, HTTPS is proxied. */
export const caddyRoute = (route: Route, httpsPort: number, routeIdPrefix = ROUTE_ID_PREFIX): Json => ({
  '@id': `${routeIdPrefix}${route.routeId}`,
  match: [{ host: route.hostnames }],
  handle: [
    {
      handler: 'subroute',
      routes: [
        {
          match: [{ protocol: 'http' }],
          handle: [
            {
              handler: 'static_response',
              status_code: 308,
              headers: { Location: [`https://{http.request.host}${httpsPort === 443 ? '' : `:${httpsPort}`}{http.request.uri}`] },
            },
          ],
        },
        { handle: [route.stopped ? stoppedPageHandler() : reverseProxy(route.upstream)] },
      ],
    },
  ],
  terminal: true,
});

const defaultCatchAll = (): Json => ({
  '@id': CATCH_ALL_ROUTE_ID,
  handle: [{ handler: 'static_response', status_code: 404, body: 'No app is deployed at this address.\n' }],
});

const acmeIssuer = (basePolicies: unknown[], tls: TlsSettings): Json[] => {
  const fromBase = arr(obj(basePolicies.find((p) => obj(p)['@id'] === ACME_POLICY_ID)).issuers).filter(isObject);
  const issuers: Json[] = fromBase.length > 0 ? fromBase.map((i) => ({ ...i })) : [{ module: 'acme' }];
  return issuers.map((issuer) => {
    if (issuer.module !== 'acme') return issuer;
    const { trusted_roots_pem_files: roots, ...rest } = issuer;
    return {
      ...rest,
      ...(tls.acmeCaUrl ? { ca: tls.acmeCaUrl } : {}),
      ...(tls.trustedRootsPemFile ? { trusted_roots_pem_files: [tls.trustedRootsPemFile] } : tls.trustedRootsPemFile === null || roots === undefined ? {} : { trusted_roots_pem_files: roots }),
    };
  });
};

export const buildCaddyConfig = (base: unknown, routes: Route[], tls: TlsSettings, options: ConfigOwnership = {}): Json => {
  const { serverName, routeIdPrefix, policyId, localPolicyId } = ownership(options);
  const config = obj(structuredClone(base ?? {}));
  const apps = obj(config.apps);
  const http = obj(apps.http);
  const httpPort = typeof http.http_port === 'number' ? http.http_port : 80;
  const httpsPort = typeof http.https_port === 'number' ? http.https_port : 443;
  const servers = obj(http.servers);
  const server = obj(servers[serverName]);
  const active = normalise(routes);
  const hostnames = active.flatMap((r) => r.hostnames);

  const baseRoutes = arr(server.routes);
  const catchAll = baseRoutes.find((r) => obj(r)['@id'] === CATCH_ALL_ROUTE_ID) ?? defaultCatchAll();
  // Routes someone else put there (an operator's own, another writer's) stay, before ours.
  const foreign = baseRoutes.filter((r) => {
    const id = obj(r)['@id'];
    return id !== CATCH_ALL_ROUTE_ID && !(typeof id === 'string' && id.startsWith(routeIdPrefix));
  });
  const newServer: Json = {
    ...server,
    listen: arr(server.listen).length > 0 ? server.listen : [`:${httpPort}`, `:${httpsPort}`],
    // Redirects are in each route: Caddy's own would land after the catch-all and never run.
    automatic_https: { ...obj(server.automatic_https), disable_redirects: true },
    routes: [...foreign, ...active.map((r) => caddyRoute(r, httpsPort, routeIdPrefix)), catchAll],
  };

  // TLS: the route hostnames get explicit policies: public names the ACME issuer, local names
  // (usesInternalCa) Caddy's internal CA. A name in two policies would be the first one's.
  const publicNames = hostnames.filter((h) => !usesInternalCa(h));
  const localNames = hostnames.filter(usesInternalCa);
  const tlsApp = obj(apps.tls);
  const automation = obj(tlsApp.automation);
  const basePolicies = arr(automation.policies);
  const issuers = acmeIssuer(basePolicies, tls);
  const taken = new Set(hostnames);
  const otherPolicies = basePolicies
    .filter((p) => obj(p)['@id'] !== policyId && obj(p)['@id'] !== localPolicyId)
    .map((p) => {
      const subjects = arr(obj(p).subjects);
      if (subjects.length === 0 || !subjects.some((s) => taken.has(String(s)))) return p;
      const left = subjects.filter((s) => !taken.has(String(s)));
      // a policy left with no subjects would turn into a catch-all: drop it instead
      return left.length > 0 ? { ...obj(p), subjects: left } : undefined;
    })
    .filter((p) => p !== undefined)
    .map((p) => (obj(p)['@id'] === ACME_POLICY_ID && (tls.acmeCaUrl || tls.trustedRootsPemFile !== undefined) ? { ...obj(p), issuers } : p));
  const hasCatchAllPolicy = otherPolicies.some((p) => arr(obj(p).subjects).length === 0);
  const policies = [
    ...(publicNames.length > 0 ? [{ '@id': policyId, subjects: publicNames, issuers }] : []),
    ...(localNames.length > 0 ? [{ '@id': localPolicyId, subjects: localNames, issuers: [{ module: 'internal' }] }] : []),
    ...otherPolicies,
    ...(hasCatchAllPolicy ? [] : [{ '@id': ACME_POLICY_ID, issuers }]),
  ];

  return {
    ...config,
    apps: {
      ...apps,
      http: { ...http, http_port: httpPort, https_port: httpsPort, servers: { ...servers, [serverName]: newServer } },
      tls: { ...tlsApp, automation: { ...automation, policies } },
    },
  };
};

/** The Slipway routes a config holds (the inverse of `caddyRoute`; the network is not in Caddy's config). */
export const routesInConfig = (config: unknown, options: ConfigOwnership = {}): Omit<Route, 'network'>[] => {
  const { serverName, routeIdPrefix } = ownership(options);
  const server = obj(obj(obj(obj(config).apps).http).servers)[serverName];
  return arr(obj(server).routes).flatMap((r) => {
    const route = obj(r);
    const id = route['@id'];
    if (typeof id !== 'string' || !id.startsWith(routeIdPrefix)) return [];
    const proxy = obj(arr(obj(arr(obj(arr(route.handle)[0]).routes)[1]).handle)[0]);
    const upstreams = obj(proxy.dynamic_upstreams);
    const hostnames = arr(obj(arr(route.match)[0]).host).map(String);
    // A stopped route's upstream is not in Caddy's config: only that it is stopped.
    if (proxy.handler === 'static_response') return [{ routeId: id.slice(routeIdPrefix.length), hostnames, upstream: { dnsName: '', port: 0 }, stopped: true }];
    return [{ routeId: id.slice(routeIdPrefix.length), hostnames, upstream: { dnsName: String(upstreams.name), port: Number(upstreams.port) } }];
  });
};
