import { randomUUID } from 'node:crypto';
import Dockerode from 'dockerode';
import { DockerEngine } from '@slipway/docker-engine';
import { waitUntil } from '@slipway/testing';
import { HostStats } from './host-stats';
import { StatsCollector } from './stats-collector';
import { VictoriaMetricsWriter } from './victoria-metrics.writer';

/**
 * Against the real Docker and VictoriaMetrics (infra/scripts/victoriametrics.sh start): a container
 * that spins a CPU shows up with its CPU above zero, and the host's series are there too.
 */
const vm = process.env.VICTORIAMETRICS_URL ?? 'http://127.0.0.1:8428';
const docker = new Dockerode({ socketPath: process.env.DOCKER_SOCKET ?? '/var/run/docker.sock' });
/** The client the service uses; dockerode only sets the scene. */
const engine = new DockerEngine();

const queryRange = async (query: string): Promise<{ metric: Record<string, string>; values: [number, string][] }[]> => {
  const now = Math.floor(Date.now() / 1000);
  const params = new URLSearchParams({ query, start: String(now - 300), end: String(now + 10), step: '10s' });
  const body = (await (await fetch(`${vm}/api/v1/query_range?${params}`)).json()) as { data: { result: { metric: Record<string, string>; values: [number, string][] }[] } };
  return body.data.result;
};

describe('stats collector', () => {
  const service = `int-metrics-${randomUUID().slice(0, 8)}`;
  let busy: Dockerode.Container;
  let idle: Dockerode.Container;

  beforeAll(async () => {
    const run = async (cmd: string[]) => {
      const c = await docker.createContainer({
        Image: 'debian:12-slim',
        Cmd: cmd,
        Labels: { 'slipway.project': 'int-metrics', 'slipway.service': service },
        HostConfig: { AutoRemove: true },
      });
      await c.start();
      return c;
    };
    busy = await run(['sh', '-c', 'while :; do :; done']);
    idle = await run(['sleep', '600']);
  }, 60_000);

  afterAll(async () => {
    await Promise.all([busy, idle].map((c) => c?.remove({ force: true }).catch(() => undefined)));
  });

  it('writes the CPU of a busy container (in cores) and the host usage to VictoriaMetrics', async () => {
    const collector = new StatsCollector(engine, new HostStats(process.env.SLIPWAY_DATA_DIR ?? '/var/lib/slipway'), new VictoriaMetricsWriter(vm), { concurrency: 4 });
    const first = await collector.collect();
    expect(first.containers).toBeGreaterThanOrEqual(2);
    expect(first.failed).toBe(0);
    await new Promise((r) => setTimeout(r, 1_000));
    await collector.collect();

    let cpu: { metric: Record<string, string>; values: [number, string][] }[] = [];
    await waitUntil('the busy container to show in VictoriaMetrics', async () => {
      cpu = await queryRange(`slipway_container_cpu_cores{service="${service}"}`);
      return cpu.length === 2;
    }, 30_000, 500);
    const byContainer = new Map(cpu.map((s) => [s.metric.container, Math.max(...s.values.map(([, v]) => Number(v)))]));
    const busyName = (await busy.inspect()).Name.replace(/^\//, '');
    const idleName = (await idle.inspect()).Name.replace(/^\//, '');
    // A shell spinning in a loop: close to one core; the sleeping one close to none.
    expect(byContainer.get(busyName)).toBeGreaterThan(0.3);
    expect(byContainer.get(idleName)).toBeLessThan(0.1);
    expect(cpu[0]!.metric.project).toBe('int-metrics');

    const memory = await queryRange(`sum(slipway_container_memory_bytes{service="${service}"})`);
    expect(Number(memory[0]!.values.at(-1)![1])).toBeGreaterThan(100_000);
    const [host] = await queryRange('slipway_host_memory_total_bytes');
    expect(Number(host!.values.at(-1)![1])).toBeGreaterThan(100_000_000);
    const [disk] = await queryRange('slipway_host_disk_total_bytes');
    expect(Number(disk!.values.at(-1)![1])).toBeGreaterThan(0);
  }, 90_000);

  it('leaves out a container that goes away during a round, and writes the others', async () => {
    const doomed = await docker.createContainer({ Image: 'debian:12-slim', Cmd: ['sleep', '600'], Labels: { 'slipway.project': 'int-metrics', 'slipway.service': `${service}-gone` } });
    await doomed.start();
    const collector = new StatsCollector(engine, new HostStats('/'), new VictoriaMetricsWriter(vm), { concurrency: 2 });
    const listed = await collector.appContainers();
    expect(listed.some((c) => c.id === doomed.id)).toBe(true);
    // Listed, then removed before its stats are read: collect() must still finish.
    const appContainers = collector.appContainers.bind(collector);
    collector.appContainers = async () => {
      const list = await appContainers();
      await doomed.remove({ force: true });
      return list;
    };
    const round = await collector.collect();
    expect(round.failed).toBeGreaterThanOrEqual(1);
    expect(round.containers - round.failed).toBeGreaterThanOrEqual(2);
  }, 60_000);
});
