import { Logger } from '@nestjs/common';
import type { DockerEngine } from '@slipway/docker-engine';
import { renderSamples, runtimeMetric as m, type Sample } from '@slipway/proto';
import { containerUsage, restartsBySlot, slotKey, slotOfTaskName, type DockerStats, type SwarmTaskRef } from './container-stats';
import type { HostStats, HostUsage } from './host-stats';
import type { VictoriaMetricsWriter } from './victoria-metrics.writer';

export interface StatsCollectorOptions {
  /** How often to collect (ms); 10 s by default. */
  intervalMs?: number;
  /** Stats calls in flight at once: each takes about a second (Docker samples twice). */
  concurrency?: number;
}

/** One running container of an app, as the collector labels its series. */
export interface AppContainer {
  id: string;
  project: string;
  service: string;
  container: string;
  restartKey: string;
}

/** Runs `work` over `items` with at most `limit` at once; a failure of one is returned, not thrown. */
export const inParallel = async <T, R>(items: T[], limit: number, work: (item: T) => Promise<R>): Promise<(R | Error)[]> => {
  const results: (R | Error)[] = new Array(items.length);
  let next = 0;
  const worker = async () => {
    while (next < items.length) {
      const i = next++;
      results[i] = await work(items[i]!).catch((err: unknown) => (err instanceof Error ? err : new Error(String(err))));
    }
  };
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, worker));
  return results;
};

export const containerSamples = (c: AppContainer, stats: DockerStats, restarts: number, at: number): Sample[] => {
  const usage = containerUsage(stats);
  const labels = { project: c.project, service: c.service, container: c.container };
  return [
    { name: m.containerCpuCores, labels, value: usage.cpuCores, at },
    { name: m.containerMemoryBytes, labels, value: usage.memoryBytes, at },
    { name: m.containerNetRxBytes, labels, value: usage.netRxBytes, at },
    { name: m.containerNetTxBytes, labels, value: usage.netTxBytes, at },
    { name: m.containerRestarts, labels, value: restarts, at },
  ];
};

export const hostSamples = (h: HostUsage, at: number): Sample[] => [
  { name: m.hostCpuCores, value: h.cpuCores, at },
  { name: m.hostMemoryBytes, value: h.memoryBytes, at },
  { name: m.hostMemoryTotalBytes, value: h.memoryTotalBytes, at },
  { name: m.hostDiskUsedBytes, value: h.diskUsedBytes, at },
  { name: m.hostDiskTotalBytes, value: h.diskTotalBytes, at },
  { name: m.hostLoad1, value: h.load1, at },
];

/**
 * Every interval: the CPU, memory, network and restarts of each running app container (those
 * labelled slipway.service: production and preview copies) and the host's usage, written to
 * VictoriaMetrics. A container that fails to answer (it stopped meanwhile) is left out of that
 * round; a round that fails altogether is logged and the next one runs as usual.
 */
export class StatsCollector {
  private readonly log = new Logger('stats');
  private timer?: NodeJS.Timeout;
  private running?: Promise<void>;

  constructor(
    private readonly docker: DockerEngine,
    private readonly host: HostStats,
    private readonly writer: VictoriaMetricsWriter,
    private readonly options: StatsCollectorOptions = {},
  ) {}

  start(): void {
    const tick = () => {
      this.running ??= this.collect()
        .then(() => undefined)
        .catch((err: Error) => this.log.warn(`could not collect metrics: ${err.message}`))
        .finally(() => (this.running = undefined));
    };
    tick();
    this.timer = setInterval(tick, this.options.intervalMs ?? 10_000);
  }

  async stop(): Promise<void> {
    clearInterval(this.timer);
    await this.running;
  }

  async appContainers(): Promise<AppContainer[]> {
    const list = await this.docker.listContainers({ label: ['slipway.service'], status: ['running'] });
    return list.map((c) => {
      const labels = c.Labels ?? {};
      return {
        id: c.Id,
        project: labels['slipway.project'] ?? '',
        service: labels['slipway.service'] ?? '',
        container: (c.Names?.[0] ?? c.Id).replace(/^\//, ''),
        restartKey: slotKey(labels['com.docker.swarm.service.id'], slotOfTaskName(labels['com.docker.swarm.task.name']), labels['slipway.deployment']),
      };
    });
  }

  /** One round; returns what was written (for tests and logs). */
  async collect(at = Date.now()): Promise<{ containers: number; failed: number; samples: number }> {
    const [containers, tasks, host] = await Promise.all([
      this.appContainers(),
      this.docker.listTasks<SwarmTaskRef>().catch(() => [] as SwarmTaskRef[]),
      this.host.read(),
    ]);
    const restarts = restartsBySlot(tasks);
    const results = await inParallel(containers, this.options.concurrency ?? 8, async (c) => {
      const stats = await this.docker.containerStats<DockerStats>(c.id);
      return containerSamples(c, stats, restarts.get(c.restartKey) ?? 0, at);
    });
    const samples = [...hostSamples(host, at), ...results.flatMap((r) => (r instanceof Error ? [] : r))];
    await this.writer.write(renderSamples(samples));
    return { containers: containers.length, failed: results.filter((r) => r instanceof Error).length, samples: samples.length };
  }
}
