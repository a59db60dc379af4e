import { quotaUsage, type QuotaHolding, type QuotaLimits, type Resources } from '@slipway/proto';

/** What the machine has, as Docker says, and what Swarm reserves for running tasks now. */
export interface Capacity {
  cpus: number;
  memoryMb: number;
  /** Memory Swarm reserves for the services running now, except the one being changed. */
  reservedMemoryMb: number;
}

type Held = QuotaHolding;
export type Request = { projectName: string; holder: string; previewId?: string; resources: Resources; storageUsedMb?: number };

const round = (n: number) => Math.round(n * 100) / 100;

/** The first limit the request would pass, in the words the deployment's error shows; undefined when it fits. */
export const overQuota = (request: Request, limits: QuotaLimits, held: Record<string, Held>): string | undefined => {
  const used = quotaUsage(held, request.holder);
  const { cpu, memoryMb, replicas } = request.resources;
  const project = `project ${request.projectName}`;
  const after = { cpu: round(used.cpu + cpu * replicas), memoryMb: used.memoryMb + memoryMb * replicas, replicas: used.replicas + replicas };
  if (limits.cpu !== undefined && after.cpu > limits.cpu + 1e-9) return `Over quota: ${project} would use ${after.cpu} of ${limits.cpu} CPU cores`;
  if (limits.memoryMb !== undefined && after.memoryMb > limits.memoryMb) return `Over quota: ${project} would use ${after.memoryMb} of ${limits.memoryMb} MB of memory`;
  if (limits.replicas !== undefined && after.replicas > limits.replicas) return `Over quota: ${project} would run ${after.replicas} of ${limits.replicas} replicas`;
  if (limits.previews !== undefined && request.previewId && !used.previews.has(request.previewId) && used.previews.size + 1 > limits.previews) {
    return `Over quota: ${project} would run ${used.previews.size + 1} of ${limits.previews} previews`;
  }
  if (limits.storageMb !== undefined && request.storageUsedMb !== undefined && request.storageUsedMb > limits.storageMb) {
    return `Over quota: ${project} uses ${Math.ceil(request.storageUsedMb)} of ${limits.storageMb} MB of volume storage; delete data or volumes, or ask the instance owner for more`;
  }
  return undefined;
};

/** The machine's own limits: a replica cannot use more cores than it has, nor Swarm reserve more memory than there is. */
export const overCapacity = (request: Request, capacity: Capacity): string | undefined => {
  const { cpu, memoryMb, replicas } = request.resources;
  if (cpu > capacity.cpus) return `Over capacity: a replica asks for ${cpu} CPU cores and this machine has ${capacity.cpus}; lower the service's CPU`;
  const needed = memoryMb * replicas;
  if (capacity.reservedMemoryMb + needed > capacity.memoryMb) {
    const left = Math.max(0, Math.floor(capacity.memoryMb - capacity.reservedMemoryMb));
    return `Over capacity: this machine has ${left} MB of memory left (${Math.floor(capacity.memoryMb)} MB, ${Math.ceil(capacity.reservedMemoryMb)} MB reserved by running services) and ${request.projectName} asks for ${needed} MB`;
  }
  return undefined;
};
