import type Dockerode from 'dockerode';

export const CADDY_SERVICE = 'slipway-caddy';

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

const runningCaddyContainers = (docker: Dockerode, caddyService: string) =>
  docker.listContainers({ filters: { label: [`com.docker.swarm.service.name=${caddyService}`], status: ['running'] } });

/**
 * Joins Caddy to a project network without restarting it: `docker network connect` on the running
 * task's container (the project networks are attachable overlays). Docker does not record this in
 * the service, so a restarted Caddy task has lost it: the routing service re-attaches every route
 * network whenever it reconciles (cheap when already attached).
 */
export const attachCaddyToNetwork = async (docker: Dockerode, network: string, options: AttachOptions = {}): Promise<AttachMethod> => {
  const caddyService = options.caddyService ?? CADDY_SERVICE;
  const containers = await runningCaddyContainers(docker, caddyService);
  if (containers.length === 0) throw new Error(`no running container of ${caddyService}`);
  const target = (await docker.getNetwork(network).inspect()) as { Id: string; Name: string };
  let method: AttachMethod = 'already-attached';
  for (const container of containers) {
    const attached = Object.entries(container.NetworkSettings?.Networks ?? {}).some(
      ([name, settings]) => name === target.Name || (settings as { NetworkID?: string }).NetworkID === target.Id,
    );
    if (attached) continue;
    try {
      await docker.getNetwork(target.Id).connect({ Container: container.Id });
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
