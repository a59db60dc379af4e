import { readFile, statfs } from 'node:fs/promises';
import { cpus, loadavg } from 'node:os';

/** Busy and total CPU time of the whole host, summed over its CPUs (ms). */
export interface CpuTimes {
  busy: number;
  total: number;
}

export interface HostUsage {
  /** CPU in cores busy since the previous reading (0 at the first). */
  cpuCores: number;
  memoryBytes: number;
  memoryTotalBytes: number;
  diskUsedBytes: number;
  diskTotalBytes: number;
  load1: number;
}

export const cpuTimes = (list: { times: { user: number; nice: number; sys: number; idle: number; irq: number } }[] = cpus()): CpuTimes =>
  list.reduce(
    (sum, { times: t }) => {
      const busy = t.user + t.nice + t.sys + t.irq;
      return { busy: sum.busy + busy, total: sum.total + busy + t.idle };
    },
    { busy: 0, total: 0 },
  );

/** Cores busy between two readings: the busy share of the elapsed CPU time, times the CPU count. */
export const hostCpuCores = (previous: CpuTimes | undefined, current: CpuTimes, cpuCount: number): number => {
  if (!previous) return 0;
  const total = current.total - previous.total;
  const busy = current.busy - previous.busy;
  if (total <= 0 || busy <= 0) return 0;
  return Math.min(cpuCount, (busy / total) * cpuCount);
};

/** Used memory as `free` counts it: MemTotal less MemAvailable (which includes the cache the kernel can drop). */
export const parseMeminfo = (text: string): { usedBytes: number; totalBytes: number } => {
  const kb = (key: string) => Number(new RegExp(`^${key}:\\s+(\\d+) kB`, 'm').exec(text)?.[1] ?? NaN) * 1024;
  const total = kb('MemTotal');
  const available = kb('MemAvailable');
  if (!Number.isFinite(total) || !Number.isFinite(available)) throw new Error('/proc/meminfo has no MemTotal or MemAvailable line');
  return { usedBytes: total - available, totalBytes: total };
};

/** Disk of the file system that holds the data directory: used as `df` counts it (blocks less free blocks). */
export const diskOf = async (path: string): Promise<{ usedBytes: number; totalBytes: number }> => {
  const s = await statfs(path);
  return { usedBytes: (s.blocks - s.bfree) * s.bsize, totalBytes: s.blocks * s.bsize };
};

/** Reads the host's usage; keeps the previous CPU reading to compute the CPU busy since then. */
export class HostStats {
  private previous?: CpuTimes;

  constructor(private readonly dataDir: string) {}

  async read(): Promise<HostUsage> {
    const list = cpus();
    const current = cpuTimes(list);
    const cpuCores = hostCpuCores(this.previous, current, list.length);
    this.previous = current;
    const [memory, disk] = await Promise.all([readFile('/proc/meminfo', 'utf8').then(parseMeminfo), diskOf(this.dataDir)]);
    return {
      cpuCores,
      memoryBytes: memory.usedBytes,
      memoryTotalBytes: memory.totalBytes,
      diskUsedBytes: disk.usedBytes,
      diskTotalBytes: disk.totalBytes,
      load1: loadavg()[0] ?? 0,
    };
  }
}
