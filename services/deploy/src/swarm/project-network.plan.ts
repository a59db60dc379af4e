import { createHash } from 'node:crypto';

/**
 * Address plan of project networks. Each gets its own /24 from 10.208.0.0/12 (4096 networks, far
 * from Docker's automatic pool which starts at 10.0.0.0), and Swarm hands task addresses out of the
 * lower half only (ip-range /25). The upper half is for the edge: Caddy joins the network with
 * `docker network connect --ip <edge address>`. Without that split, the address Docker gives Caddy
 * on connect is unknown to Swarm's allocator, which later hands the same address to a new task,
 * whose start then fails with "Address already in use" (seen on Docker 20.10).
 */
export const EDGE_ADDRESS_LABEL = 'slipway.edge-address';
const POOL_SIZE = 4096;

export interface NetworkPlan {
  subnet: string;
  /** Where Swarm allocates task addresses. */
  ipRange: string;
  /** Reserved for Caddy (the next edge container takes the address below, and so on). */
  edgeAddress: string;
}

export const subnetAt = (index: number): NetworkPlan => {
  const i = ((index % POOL_SIZE) + POOL_SIZE) % POOL_SIZE;
  const prefix = `10.${208 + (i >> 8)}.${i & 255}`;
  return { subnet: `${prefix}.0/24`, ipRange: `${prefix}.0/25`, edgeAddress: `${prefix}.254` };
};

/** Where a network's search for a free subnet starts: stable per name, spread over the pool. */
export const preferredIndex = (name: string): number => createHash('sha256').update(name).digest().readUInt32BE(0) % POOL_SIZE;

/** The first subnet, from the name's preferred one on, that no existing network uses. */
export const planNetwork = (name: string, takenSubnets: Iterable<string>): NetworkPlan => {
  const taken = new Set(takenSubnets);
  const start = preferredIndex(name);
  for (let step = 0; step < POOL_SIZE; step++) {
    const plan = subnetAt(start + step);
    if (!taken.has(plan.subnet)) return plan;
  }
  throw new Error(`no free /24 left in 10.208.0.0/12 for network ${name}`);
};
