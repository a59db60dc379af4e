import {
  ACME_POLICY_ID,
  buildCaddyConfig,
  CATCH_ALL_ROUTE_ID,
  findHostnameConflicts,
  ROUTES_POLICY_ID,
  LOCAL_ROUTES_POLICY_ID,
  usesInternalCa,
  routesInConfig,
  type Route,
} from './caddy-config.builder';

type Json = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any

// infra/images/caddy/initial-config.json as caddy.sh and the entrypoint fill it in
const initial = {
  admin: { listen: '172.18.0.3:2019' },
  apps: {
    http: {
      http_port: 80,
      https_port: 443,
      servers: {
        slipway: {
          listen: [':80', ':443'],
          routes: [
            { '@id': 'slipway-catch-all', handle: [{ handler: 'static_response', status_code: 404, body: 'No app is deployed at this address.\n' }] },
          ],
        },
      },
    },
    tls: {
      automation: {
        policies: [
          { '@id': 'slipway-acme', issuers: [{ module: 'acme', ca: 'https://172.18.0.1:14000/dir', trusted_roots_pem_files: ['/etc/slipway/pebble/ca.pem'] }] },
        ],
      },
    },
  },
};
const web: Route = { routeId: 'r1', hostnames: ['web-shop.localhost'], upstream: { dnsName: 'tasks.shop-web', port: 3000 }, network: 'slipway-shop' };
const api: Route = { routeId: 'r2', hostnames: ['api-shop.localhost', 'API.shop.example.com'], upstream: { dnsName: 'tasks.shop-api', port: 8080 }, network: 'slipway-shop' };
const server = (config: Json) => config.apps.http.servers.slipway;
const policies = (config: Json) => config.apps.tls.automation.policies as Json[];

describe('caddy config from the route list', () => {
  const config = buildCaddyConfig(initial, [api, web], {}) as Json;

  it('keeps the admin block and the ports, and does not touch the base config', () => {
    expect(config.admin).toEqual({ listen: '172.18.0.3:2019' });
    expect(config.apps.http).toMatchObject({ http_port: 80, https_port: 443 });
    expect(server(config).listen).toEqual([':80', ':443']);
    expect(initial.apps.http.servers.slipway.routes).toHaveLength(1);
  });

  it('has one route per Slipway route, in routeId order, and the catch-all 404 last', () => {
    const routes = server(config).routes as Json[];
    expect(routes.map((r) => r['@id'])).toEqual(['slipway-route-r1', 'slipway-route-r2', CATCH_ALL_ROUTE_ID]);
    expect(routes[1].match).toEqual([{ host: ['api-shop.localhost', 'api.shop.example.com'] }]);
    expect(routes[2].handle[0]).toMatchObject({ handler: 'static_response', status_code: 404 });
  });

  it('redirects plain HTTP to HTTPS for the route hosts, itself (Caddy would append its redirect after the catch-all)', () => {
    const [redirect] = server(config).routes[0].handle[0].routes as Json[];
    expect(redirect.match).toEqual([{ protocol: 'http' }]);
    expect(redirect.handle[0]).toEqual({
      handler: 'static_response',
      status_code: 308,
      headers: { Location: ['https://{http.request.host}{http.request.uri}'] },
    });
    expect(server(config).automatic_https).toEqual({ disable_redirects: true });
  });

  it('proxies to the A records of tasks.<service>, refreshed every second, with retries and passive health', () => {
    const proxy = server(config).routes[0].handle[0].routes[1].handle[0] as Json;
    expect(proxy).toMatchObject({
      handler: 'reverse_proxy',
      dynamic_upstreams: { source: 'a', name: 'tasks.shop-web', port: '3000', refresh: '1s' },
      load_balancing: { try_duration: '5s', try_interval: '250ms' },
      health_checks: { passive: { fail_duration: '2s', max_fails: 1 } },
    });
  });

  it('gives public route hostnames the ACME issuer and local ones (*.localhost) Caddy\u2019s internal CA, which needs no ACME server', () => {
    expect(policies(config)).toEqual([
      { '@id': ROUTES_POLICY_ID, subjects: ['api.shop.example.com'], issuers: initial.apps.tls.automation.policies[0].issuers },
      { '@id': LOCAL_ROUTES_POLICY_ID, subjects: ['web-shop.localhost', 'api-shop.localhost'], issuers: [{ module: 'internal' }] },
      initial.apps.tls.automation.policies[0],
    ]);
    expect(['localhost', 'a.localhost', 'nas.local', 'db.internal', 'h.home.arpa', '10.0.0.1', '::1'].every(usesInternalCa)).toBe(true);
    expect(['shop.example.com', 'web-shop.slipway.test', 'localhost.example.com'].some(usesInternalCa)).toBe(false);
  });

  it('overrides the ACME CA and trusted roots when given', () => {
    const tls = { acmeCaUrl: 'https://10.0.0.1:14000/dir', trustedRootsPemFile: '/etc/other.pem' };
    const issuer = { module: 'acme', ca: tls.acmeCaUrl, trusted_roots_pem_files: [tls.trustedRootsPemFile] };
    const p = policies(buildCaddyConfig(initial, [web], tls) as Json);
    expect(p.map((x) => x.issuers)).toEqual([[{ module: 'internal' }], [issuer]]);
  });

  it('switches the ACME issuer to a public CA with the system\u2019s roots (the instance\u2019s ACME directory)', () => {
    const le = 'https://acme-v02.api.letsencrypt.org/directory';
    const p = policies(buildCaddyConfig(initial, [web], { acmeCaUrl: le, trustedRootsPemFile: null }) as Json);
    expect(p.map((x) => x.issuers)).toEqual([[{ module: 'internal' }], [{ module: 'acme', ca: le }]]);
  });

  it('restores full routing from a blank config (only the admin block left)', () => {
    const tls = { acmeCaUrl: 'https://172.18.0.1:14000/dir', trustedRootsPemFile: '/etc/slipway/pebble/ca.pem' };
    const restored = buildCaddyConfig({ admin: { listen: '172.18.0.3:2019' } }, [web], tls) as Json;
    const fromInitial = buildCaddyConfig(initial, [web], tls) as Json;
    expect(restored).toEqual(fromInitial);
    expect(buildCaddyConfig(null, [], {}) as Json).toMatchObject({ apps: { http: { http_port: 80, https_port: 443 } } });
  });

  it('is stable: rebuilding from its own output gives the same config', () => {
    expect(buildCaddyConfig(config, [api, web], {})).toEqual(config);
    expect(buildCaddyConfig(config, [web, api], {})).toEqual(config);
  });

  it('removes routes and their hostnames from the policy when they go away; no empty-subject policy', () => {
    const none = buildCaddyConfig(config, [], {}) as Json;
    expect((server(none).routes as Json[]).map((r) => r['@id'])).toEqual([CATCH_ALL_ROUTE_ID]);
    expect(policies(none).map((p) => p['@id'])).toEqual([ACME_POLICY_ID]);
    const noHosts = buildCaddyConfig(config, [{ ...web, hostnames: [] }], {}) as Json;
    expect(policies(noHosts).every((p) => p['@id'] !== ROUTES_POLICY_ID && p['@id'] !== LOCAL_ROUTES_POLICY_ID)).toBe(true);
  });

  it('gives a hostname claimed twice to the first route by id, and reports the conflict', () => {
    const twin: Route = { ...api, routeId: 'r0', hostnames: ['web-shop.localhost'] };
    const built = buildCaddyConfig(initial, [web, twin], {}) as Json;
    expect((server(built).routes as Json[]).map((r) => r['@id'])).toEqual(['slipway-route-r0', CATCH_ALL_ROUTE_ID]);
    expect(findHostnameConflicts([web, twin])).toEqual([{ hostname: 'web-shop.localhost', routeIds: ['r0', 'r1'] }]);
  });

  it('takes route hostnames out of other explicit policies, dropping a policy left empty', () => {
    const base = structuredClone(initial) as Json;
    base.apps.tls.automation.policies.unshift(
      { '@id': 'x', subjects: ['web-shop.localhost'], issuers: [{ module: 'internal' }] },
      { '@id': 'y', subjects: ['web-shop.localhost', 'other.localhost'], issuers: [{ module: 'internal' }] },
    );
    const p = policies(buildCaddyConfig(base, [web], {}) as Json);
    expect(p.map((x) => [x['@id'], x.subjects])).toEqual([
      [LOCAL_ROUTES_POLICY_ID, ['web-shop.localhost']],
      ['y', ['other.localhost']],
      [ACME_POLICY_ID, undefined],
    ]);
  });

  it('keeps other apps and servers, and puts the https port in redirects when it is not 443', () => {
    const base = structuredClone(initial) as Json;
    base.apps.pki = { certificate_authorities: {} };
    base.apps.http.https_port = 8443;
    base.apps.http.servers.metrics = { listen: [':9180'], routes: [] };
    const built = buildCaddyConfig(base, [web], {}) as Json;
    expect(built.apps.pki).toEqual({ certificate_authorities: {} });
    expect(built.apps.http.servers.metrics).toEqual({ listen: [':9180'], routes: [] });
    expect(server(built).routes[0].handle[0].routes[0].handle[0].headers.Location).toEqual(['https://{http.request.host}:8443{http.request.uri}']);
  });

  it('keeps routes it does not own (no slipway-route- id) before its own', () => {
    const base = structuredClone(initial) as Json;
    base.apps.http.servers.slipway.routes.unshift({ '@id': 'operator-status', match: [{ path: ['/status'] }], handle: [] }, { handle: [] });
    const built = buildCaddyConfig(buildCaddyConfig(base, [web], {}), [api], {}) as Json;
    expect((server(built).routes as Json[]).map((r) => r['@id'])).toEqual(['operator-status', undefined, 'slipway-route-r2', CATCH_ALL_ROUTE_ID]);
  });

  it('reads its routes back from a config', () => {
    expect(routesInConfig(config)).toEqual([web, api].map(({ network: _network, ...r }) => ({ ...r, hostnames: [...r.hostnames].map((h) => h.toLowerCase()).sort() })));
    expect(routesInConfig(initial)).toEqual([]);
    expect(routesInConfig(null)).toEqual([]);
  });

  it('lets two writers with different route id prefixes share Caddy without erasing each other', () => {
    const test = { routeIdPrefix: 'slipway-test-route-' };
    const withTest = buildCaddyConfig(config, [{ ...web, routeId: 't1', hostnames: ['t.localhost'] }], {}, test) as Json;
    const rebuilt = buildCaddyConfig(withTest, [api], {}) as Json; // the routing service, knowing only its routes
    expect((server(rebuilt).routes as Json[]).map((r) => r['@id'])).toEqual(['slipway-test-route-t1', 'slipway-route-r2', CATCH_ALL_ROUTE_ID]);
    expect(policies(rebuilt).map((p) => [p['@id'], p.subjects])).toEqual([
      [ROUTES_POLICY_ID, ['api.shop.example.com']],
      [LOCAL_ROUTES_POLICY_ID, ['api-shop.localhost']],
      ['slipway-test-route-internal', ['t.localhost']],
      [ACME_POLICY_ID, undefined],
    ]);
    expect(routesInConfig(rebuilt, test)).toEqual([{ routeId: 't1', hostnames: ['t.localhost'], upstream: web.upstream }]);
    const removed = buildCaddyConfig(rebuilt, [], {}, test) as Json;
    expect((server(removed).routes as Json[]).map((r) => r['@id'])).toEqual(['slipway-route-r2', CATCH_ALL_ROUTE_ID]);
  });
});

describe('a stopped service\u2019s route', () => {
  const stopped = { ...web, stopped: true };
  const config = buildCaddyConfig(initial, [stopped], {}) as Json;
  const route = config.apps.http.servers.slipway.routes[0];

  it('keeps its hostnames and their certificate policy, and answers 503 with the stopped page instead of proxying', () => {
    expect(route.match).toEqual([{ host: ['web-shop.localhost'] }]);
    expect(config.apps.tls.automation.policies[0]).toMatchObject({ '@id': LOCAL_ROUTES_POLICY_ID, subjects: ['web-shop.localhost'] });
    const handler = route.handle[0].routes[1].handle[0];
    expect(handler).toMatchObject({ handler: 'static_response', status_code: 503 });
    expect(handler.body).toContain('is stopped');
    expect(JSON.stringify(route)).not.toContain('reverse_proxy');
    // Plain HTTP still goes to HTTPS first.
    expect(route.handle[0].routes[0].handle[0].status_code).toBe(308);
  });

  it('reads back as stopped', () => {
    expect(routesInConfig(config)).toEqual([{ routeId: 'r1', hostnames: ['web-shop.localhost'], upstream: { dnsName: '', port: 0 }, stopped: true }]);
  });
});
