import type Dockerode from 'dockerode';
import { EDGE_ADDRESS_LABEL, planNetwork } from './project-network.plan';
import { MANAGED_LABEL } from './swarm-service-spec.builder';

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
const statusCode = (err: unknown) => (err as { statusCode?: number }).statusCode;

/**
 * Creates the project's overlay network when missing (attachable, with the address plan that lets
 * Caddy join it safely: see project-network.plan.ts); true when this call created it.
 */
export const ensureNetwork = async (docker: Dockerode, name: string, labels: Record<string, string>): Promise<boolean> => {
  const rejected = new Set<string>();
  for (let attempt = 1; attempt <= 8; attempt++) {
    if (await swarmHas(docker, name)) return false;
    const networks = await docker.listNetworks();
    const taken = [...rejected, ...networks.flatMap((n) => (n.IPAM?.Config ?? []).map((c) => c.Subnet ?? ''))];
    const plan = planNetwork(name, taken);
    try {
      await docker.createNetwork({
        Name: name,
        Driver: 'overlay',
        Attachable: true,
        CheckDuplicate: true,
        IPAM: { Driver: 'default', Config: [{ Subnet: plan.subnet, IPRange: plan.ipRange }] },
        Labels: {
          [MANAGED_LABEL]: 'true',
          [EDGE_ADDRESS_LABEL]: plan.edgeAddress,
          ...(labels['slipway.project'] ? { 'slipway.project': labels['slipway.project'] } : {}),
        },
      });
    } catch (err) {
      if (statusCode(err) === 409) return false; // created concurrently by another rollout of the project
      throw err;
    }
    // Swarm allocates the subnet after answering; an overlap (a network created meanwhile) only
    // shows as a network without IPAM config.
    if (await subnetAllocated(docker, name, plan.subnet)) return true;
    rejected.add(plan.subnet);
    await docker.getNetwork(name).remove().catch(() => undefined);
  }
  throw new Error(`could not allocate a subnet for network ${name}`);
};

/**
 * Whether the network answers by name (not whether the node lists it). A node can go on listing an overlay network Swarm has
 * removed (seen when it was removed while the edge's container was still attached: only its
 * load-balancer endpoint is left, and nothing removes it). Such a network answers 404 by name, a
 * service on it is refused with "network … not found", and creating it anew replaces it.
 */
const swarmHas = (docker: Dockerode, name: string): Promise<boolean> =>
  docker
    .getNetwork(name)
    .inspect()
    .then(
      () => true,
      (err: unknown) => (statusCode(err) === 404 ? false : Promise.reject(err)),
    );

const subnetAllocated = async (docker: Dockerode, name: string, subnet: string): Promise<boolean> => {
  const until = Date.now() + 3_000;
  for (;;) {
    const info = (await docker.getNetwork(name).inspect()) as { IPAM?: { Config?: { Subnet?: string }[] | null } };
    if (info.IPAM?.Config?.some((c) => c.Subnet === subnet)) return true;
    if (Date.now() > until) return false;
    await sleep(200);
  }
};

/**
 * Removes a network this rollout created once no service uses it; retries while the removed
 * service's containers still hold endpoints on it.
 */
export const removeNetworkIfUnused = async (docker: Dockerode, name: string): Promise<void> => {
  const network = docker.getNetwork(name);
  let id: string;
  try {
    id = ((await network.inspect()) as { Id: string }).Id;
  } catch {
    return;
  }
  const services = await docker.listServices();
  const inUse = services.some((s) =>
    [...((s.Spec?.TaskTemplate as Dockerode.ContainerTaskSpec | undefined)?.Networks ?? []), ...(s.Spec?.Networks ?? [])].some(
      (n) => n.Target === id || n.Target === name,
    ),
  );
  if (inUse) return;
  const until = Date.now() + 20_000;
  for (;;) {
    try {
      await network.remove();
      return;
    } catch (err) {
      if (statusCode(err) === 404 || Date.now() > until) return;
      await sleep(500);
    }
  }
};
