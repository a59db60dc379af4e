import type Dockerode from 'dockerode';

/** Caddy's Swarm service: `slipway-caddy` (caddy.sh), or the stack's `<stack>_caddy` (infra.env's CADDY_SERVICE). */
export const CADDY_SERVICE = process.env.CADDY_SERVICE || 'slipway-caddy';

export type AttachMethod = 'already-attached' | 'connected' | 'service-updated';

export interface AttachOptions {
  caddyService?: string;
  /**
   * When connecting the running container fails, add the network to the service instead. That
   * restarts Caddy's task (a few seconds without the edge, and a new admin URL). Default false.
   */
  allowServiceUpdate?: boolean;
  /** Bound on waiting for the restarted task (default 60 000 ms). */
  timeoutMs?: number;
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
const messageOf = (err: unknown) => ((err as { json?: { message?: string } }).json?.message ?? (err as Error).message ?? String(err)).trim();

export const runningCaddyContainers = (docker: Dockerode, caddyService: string) =>
  docker.listContainers({ filters: { label: [`com.docker.swarm.service.name=${caddyService}`], status: ['running'] } });

/**
 * Label on a project network with the address reserved for the edge (set by the deploy service when
 * it creates the network: a /24 whose lower half is Swarm's ip-range, the edge on .254).
 */
export const EDGE_ADDRESS_LABEL = 'slipway.edge-address';

interface NetworkInfo {
  Id: string;
  Name: string;
  Labels?: Record<string, string> | null;
  IPAM?: { Config?: { Subnet?: string; IPRange?: string }[] | null };
}

/**
 * The address Caddy may take on the network: the label, else the top of a subnet whose ip-range
 * leaves it out. Undefined when nothing is reserved: an address Docker picks on connect is unknown
 * to Swarm's allocator, which gives it to a later task ("Address already in use").
 */
export const edgeAddressOf = (network: NetworkInfo, index = 0): string | undefined => {
  const base = network.Labels?.[EDGE_ADDRESS_LABEL] ?? topOfSubnetOutsideRange(network.IPAM?.Config?.[0]);
  if (!base) return undefined;
  const parts = base.split('.').map(Number);
  parts[3] -= index; // further edge containers (several Caddy replicas) take the addresses below
  return parts.join('.');
};

const topOfSubnetOutsideRange = (config: { Subnet?: string; IPRange?: string } | undefined): string | undefined => {
  const subnet = /^(\d+)\.(\d+)\.(\d+)\.0\/24$/.exec(config?.Subnet ?? '');
  const range = /\/(\d+)$/.exec(config?.IPRange ?? '');
  if (!subnet || !range || Number(range[1]) <= 24 || !config?.IPRange?.startsWith(`${subnet[1]}.${subnet[2]}.${subnet[3]}.0/`)) return undefined;
  return `${subnet[1]}.${subnet[2]}.${subnet[3]}.254`;
};

/**
 * Joins Caddy to a project network without restarting it: `docker network connect --ip <edge
 * address>` on the running task's container (the project networks are attachable overlays).
 * Docker does not record this in the service, so a restarted Caddy task has lost it: the routing
 * service re-attaches every route network whenever it reconciles (cheap when already attached).
 * Limits (Docker 20.10): the network must already be instantiated on Caddy's node (a task of the
 * project running there), else Docker answers "not found"; and Caddy must leave the network before
 * its last task does, or the node keeps a stale copy of the network after it is removed.
 */
export const attachCaddyToNetwork = async (docker: Dockerode, network: string, options: AttachOptions = {}): Promise<AttachMethod> => {
  const caddyService = options.caddyService ?? CADDY_SERVICE;
  const containers = (await runningCaddyContainers(docker, caddyService)).sort((a, b) => (a.Names[0] ?? '').localeCompare(b.Names[0] ?? ''));
  if (containers.length === 0) throw new Error(`no running container of ${caddyService}`);
  const target = (await docker.getNetwork(network).inspect()) as NetworkInfo;
  let method: AttachMethod = 'already-attached';
  for (const [index, container] of containers.entries()) {
    const attached = Object.entries(container.NetworkSettings?.Networks ?? {}).some(
      ([name, settings]) => name === target.Name || (settings as { NetworkID?: string }).NetworkID === target.Id,
    );
    if (attached) continue;
    const address = edgeAddressOf(target, index);
    try {
      if (!address) throw new Error(`${network} has no address reserved for the edge (label ${EDGE_ADDRESS_LABEL} or a /24 whose ip-range leaves .254 out)`);
      await docker.getNetwork(target.Id).connect({ Container: container.Id, EndpointConfig: { IPAMConfig: { IPv4Address: address } } });
      method = 'connected';
    } catch (err) {
      if (/already exists|already attached/i.test(messageOf(err))) continue;
      if (!options.allowServiceUpdate) throw new Error(`could not connect ${caddyService} to ${network}: ${messageOf(err)}`);
      await addNetworkToService(docker, caddyService, target.Id, options.timeoutMs ?? 60_000);
      return 'service-updated';
    }
  }
  return method;
};

export const attachCaddyToNetworks = async (docker: Dockerode, networks: string[], options: AttachOptions = {}) => {
  const methods: Record<string, AttachMethod> = {};
  for (const network of [...new Set(networks)].sort()) methods[network] = await attachCaddyToNetwork(docker, network, options);
  return methods;
};

/** Leaves a project network (before it is removed: Docker refuses to remove a network with endpoints). */
export const detachCaddyFromNetwork = async (docker: Dockerode, network: string, options: { caddyService?: string } = {}): Promise<void> => {
  for (const container of await runningCaddyContainers(docker, options.caddyService ?? CADDY_SERVICE)) {
    try {
      await docker.getNetwork(network).disconnect({ Container: container.Id, Force: true });
    } catch (err) {
      if (!/is not connected|not found|no such/i.test(messageOf(err))) throw err;
    }
  }
};

/** The fallback: the network becomes part of Caddy's service spec, which restarts its task. */
const addNetworkToService = async (docker: Dockerode, caddyService: string, networkId: string, timeoutMs: number) => {
  const service = docker.getService(caddyService);
  const current = (await service.inspect()) as Dockerode.Service;
  const spec = structuredClone(current.Spec!) as Dockerode.ServiceSpec;
  const template = spec.TaskTemplate as Dockerode.ContainerTaskSpec;
  template.Networks = [...(template.Networks ?? []), { Target: networkId }];
  await service.update({ _query: { version: current.Version?.Index }, _body: spec } as never);
  const until = Date.now() + timeoutMs;
  while (Date.now() < until) {
    const containers = await runningCaddyContainers(docker, caddyService);
    if (containers.some((c) => Object.values(c.NetworkSettings?.Networks ?? {}).some((n) => (n as { NetworkID?: string }).NetworkID === networkId))) return;
    await sleep(500);
  }
  throw new Error(`${caddyService} did not come back on network ${networkId} within ${timeoutMs} ms`);
};
