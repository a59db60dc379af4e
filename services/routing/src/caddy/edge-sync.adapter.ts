import type Dockerode from 'dockerode';
import type { CaddyAdmin } from './caddy-admin.adapter';
import { findHostnameConflicts, type Route, type TlsSettings } from './caddy-config.builder';
import { attachCaddyToNetwork, type AttachMethod, type AttachOptions } from './caddy-network.adapter';

/**
 * Makes the edge match the route list: Caddy joins every route's network, then the config is
 * rebuilt from the list and loaded (ETag-guarded). Idempotent: the routing service can run it on
 * every route change, on start, and whenever Caddy's task restarted. A network Caddy cannot join
 * does not hold the others back: it is reported (its routes answer 502 until it is fixed).
 */
export const syncEdge = async (
  docker: Dockerode,
  admin: CaddyAdmin,
  routes: Route[],
  tls: TlsSettings,
  options: AttachOptions = {},
): Promise<{
  networks: Record<string, AttachMethod>;
  unattached: Record<string, string>;
  conflicts: ReturnType<typeof findHostnameConflicts>;
}> => {
  const networks: Record<string, AttachMethod> = {};
  const unattached: Record<string, string> = {};
  for (const network of [...new Set(routes.filter((r) => r.hostnames.length > 0).map((r) => r.network))].sort()) {
    try {
      networks[network] = await attachCaddyToNetwork(docker, network, options);
    } catch (err) {
      unattached[network] = (err as Error).message;
    }
  }
  await admin.applyRoutes(routes, tls);
  return { networks, unattached, conflicts: findHostnameConflicts(routes) };
};
