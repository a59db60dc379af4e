/**
 * What one container uses, read from one answer of Docker's stats API (`stats({ stream: false })`,
 * which samples twice a second apart, so `precpu_stats` holds the earlier sample).
 */

/** The part of Docker's stats answer this reads (cgroup v1 and v2 name the memory fields differently). */
export interface DockerStats {
  cpu_stats?: { cpu_usage?: { total_usage?: number; percpu_usage?: number[] }; system_cpu_usage?: number; online_cpus?: number };
  precpu_stats?: { cpu_usage?: { total_usage?: number }; system_cpu_usage?: number };
  memory_stats?: { usage?: number; stats?: Record<string, number> };
  networks?: Record<string, { rx_bytes?: number; tx_bytes?: number }>;
}

export interface ContainerUsage {
  /** CPU in cores (1.5 = one and a half cores busy) over the sampled interval. */
  cpuCores: number;
  /** Memory in use, without the page cache the kernel can drop (as `docker stats` shows it). */
  memoryBytes: number;
  /** Bytes received and sent since the container started (counters). */
  netRxBytes: number;
  netTxBytes: number;
}

/**
 * Docker's own formula: the container's share of all CPU time between the two samples, times the
 * CPUs the host has online. Zero when there is no earlier sample (a container that just started).
 */
export const cpuCores = (stats: DockerStats): number => {
  const cpu = stats.cpu_stats;
  const pre = stats.precpu_stats;
  const used = (cpu?.cpu_usage?.total_usage ?? 0) - (pre?.cpu_usage?.total_usage ?? 0);
  const system = (cpu?.system_cpu_usage ?? 0) - (pre?.system_cpu_usage ?? 0);
  if (!pre?.system_cpu_usage || used <= 0 || system <= 0) return 0;
  const online = cpu?.online_cpus || cpu?.cpu_usage?.percpu_usage?.length || 1;
  return (used / system) * online;
};

/** Usage minus the inactive file cache: `inactive_file` on cgroup v2, `total_inactive_file` on v1. */
export const memoryBytes = (stats: DockerStats): number => {
  const usage = stats.memory_stats?.usage ?? 0;
  const detail = stats.memory_stats?.stats ?? {};
  const cache = detail.inactive_file ?? detail.total_inactive_file ?? 0;
  return Math.max(0, usage - (cache < usage ? cache : 0));
};

export const networkBytes = (stats: DockerStats): { rx: number; tx: number } =>
  Object.values(stats.networks ?? {}).reduce((sum, n) => ({ rx: sum.rx + (n.rx_bytes ?? 0), tx: sum.tx + (n.tx_bytes ?? 0) }), { rx: 0, tx: 0 });

export const containerUsage = (stats: DockerStats): ContainerUsage => {
  const net = networkBytes(stats);
  return { cpuCores: cpuCores(stats), memoryBytes: memoryBytes(stats), netRxBytes: net.rx, netTxBytes: net.tx };
};

/** A Swarm task as `docker.listTasks()` gives it, reduced to what restarts are counted from. */
export interface SwarmTaskRef {
  ServiceID?: string;
  Slot?: number;
  Spec?: { ContainerSpec?: { Labels?: Record<string, string> } };
}

/**
 * Restarts of a replica: Swarm never restarts a container in place (its RestartCount stays 0), it
 * starts a new task in the same slot. So: the tasks of the slot that run the same deployment, less
 * the one running now. Bounded by Swarm's task history (5 per slot by default), which is enough to
 * see a crash loop; a new deployment starts counting from zero.
 */
export const restartsBySlot = (tasks: SwarmTaskRef[]): Map<string, number> => {
  const counts = new Map<string, number>();
  for (const task of tasks) {
    const key = slotKey(task.ServiceID, task.Slot, task.Spec?.ContainerSpec?.Labels?.['slipway.deployment']);
    counts.set(key, (counts.get(key) ?? 0) + 1);
  }
  for (const [key, n] of counts) counts.set(key, Math.max(0, n - 1));
  return counts;
};

export const slotKey = (serviceId: string | undefined, slot: number | string | undefined, deploymentId: string | undefined) =>
  `${serviceId ?? ''}/${slot ?? ''}/${deploymentId ?? ''}`;

/** The slot of a task from its container's name label: "<service>.<slot>.<task id>". */
export const slotOfTaskName = (taskName: string | undefined): string | undefined => taskName?.split('.').at(-2);
