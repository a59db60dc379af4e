import type Dockerode from 'dockerode';
import type { CaddyAdmin } from './caddy-admin.adapter';
import { findHostnameConflicts, type Route, type TlsSettings } from './caddy-config.builder';
import { attachCaddyToNetworks, type AttachMethod, type AttachOptions } from './caddy-network.adapter';

/**
 * Makes the edge match the route list: Caddy joins every route's network, then the config is
 * rebuilt from the list and loaded (ETag-guarded). Idempotent: the routing service can run it on
 * every route change, on start, and whenever Caddy's task restarted.
 */
export const syncEdge = async (
  docker: Dockerode,
  admin: CaddyAdmin,
  routes: Route[],
  tls: TlsSettings,
  options: AttachOptions = {},
): Promise<{ networks: Record<string, AttachMethod>; conflicts: ReturnType<typeof findHostnameConflicts> }> => {
  const networks = await attachCaddyToNetworks(
    docker,
    routes.filter((r) => r.hostnames.length > 0).map((r) => r.network),
    options,
  );
  await admin.applyRoutes(routes, tls);
  return { networks, conflicts: findHostnameConflicts(routes) };
};
