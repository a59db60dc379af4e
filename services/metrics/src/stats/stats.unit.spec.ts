import { renderSample, renderSamples } from '@slipway/proto';
import { cpuCores, memoryBytes, networkBytes, restartsBySlot, slotKey, slotOfTaskName, type DockerStats } from './container-stats';
import { cpuTimes, hostCpuCores, parseMeminfo } from './host-stats';
import { containerSamples, inParallel } from './stats-collector';

/** Shaped like Docker 20.10's one-shot answer on cgroup v2 (numbers from a container burning one core of four). */
const busy: DockerStats = {
  cpu_stats: { cpu_usage: { total_usage: 5_000_000_000 }, system_cpu_usage: 104_000_000_000, online_cpus: 4 },
  precpu_stats: { cpu_usage: { total_usage: 4_000_000_000 }, system_cpu_usage: 100_000_000_000 },
  memory_stats: { usage: 50_000_000, stats: { inactive_file: 8_000_000 } },
  networks: { eth0: { rx_bytes: 1000, tx_bytes: 200 }, eth1: { rx_bytes: 24, tx_bytes: 6 } },
};

describe('container usage from Docker stats', () => {
  it('computes CPU in cores from the two samples, as docker stats does', () => {
    // 1 s of CPU in 4 s of all CPUs' time, times 4 CPUs: one core.
    expect(cpuCores(busy)).toBeCloseTo(1, 6);
    expect(cpuCores({ ...busy, cpu_stats: { ...busy.cpu_stats, online_cpus: undefined, cpu_usage: { total_usage: 5_000_000_000, percpu_usage: [1, 2] } } })).toBeCloseTo(0.5, 6);
  });

  it('says 0 when there is no earlier sample or nothing moved', () => {
    expect(cpuCores({ ...busy, precpu_stats: {} })).toBe(0);
    expect(cpuCores({ ...busy, precpu_stats: busy.cpu_stats })).toBe(0);
    expect(cpuCores({})).toBe(0);
  });

  it('counts memory without the inactive file cache (v2 and v1 names)', () => {
    expect(memoryBytes(busy)).toBe(42_000_000);
    expect(memoryBytes({ memory_stats: { usage: 10, stats: { total_inactive_file: 4 } } })).toBe(6);
    expect(memoryBytes({ memory_stats: { usage: 10, stats: { inactive_file: 40 } } })).toBe(10);
    expect(memoryBytes({})).toBe(0);
  });

  it('sums network bytes over the networks', () => {
    expect(networkBytes(busy)).toEqual({ rx: 1024, tx: 206 });
    expect(networkBytes({})).toEqual({ rx: 0, tx: 0 });
  });

  it('counts restarts as the extra tasks of a slot running the same deployment', () => {
    const task = (service: string, slot: number, deployment: string) => ({ ServiceID: service, Slot: slot, Spec: { ContainerSpec: { Labels: { 'slipway.deployment': deployment } } } });
    const counts = restartsBySlot([task('s1', 1, 'd2'), task('s1', 1, 'd2'), task('s1', 1, 'd2'), task('s1', 1, 'd1'), task('s1', 2, 'd2')]);
    expect(counts.get(slotKey('s1', 1, 'd2'))).toBe(2);
    expect(counts.get(slotKey('s1', 1, 'd1'))).toBe(0);
    expect(counts.get(slotKey('s1', 2, 'd2'))).toBe(0);
    expect(slotOfTaskName('shop-web.3.abc123')).toBe('3');
    expect(slotKey('s1', slotOfTaskName('shop-web.1.x'), 'd2')).toBe(slotKey('s1', 1, 'd2'));
  });

  it('labels a container sample with project, service and container', () => {
    const samples = containerSamples({ id: 'c', project: 'p1', service: 's1', container: 'shop-web.1.x', restartKey: '' }, busy, 3, 1_000);
    expect(samples.map(renderSample)).toEqual([
      'slipway_container_cpu_cores{project="p1",service="s1",container="shop-web.1.x"} 1 1000',
      'slipway_container_memory_bytes{project="p1",service="s1",container="shop-web.1.x"} 42000000 1000',
      'slipway_container_network_receive_bytes_total{project="p1",service="s1",container="shop-web.1.x"} 1024 1000',
      'slipway_container_network_transmit_bytes_total{project="p1",service="s1",container="shop-web.1.x"} 206 1000',
      'slipway_container_restarts{project="p1",service="s1",container="shop-web.1.x"} 3 1000',
    ]);
  });
});

describe('host usage', () => {
  it('computes cores busy between two readings', () => {
    const a = cpuTimes([{ times: { user: 100, nice: 0, sys: 100, idle: 800, irq: 0 } }, { times: { user: 0, nice: 0, sys: 0, idle: 1000, irq: 0 } }]);
    const b = cpuTimes([{ times: { user: 1100, nice: 0, sys: 100, idle: 800, irq: 0 } }, { times: { user: 500, nice: 0, sys: 0, idle: 1500, irq: 0 } }]);
    expect(hostCpuCores(undefined, a, 2)).toBe(0);
    // 1500 ms busy of 2000 ms: 1.5 of 2 cores.
    expect(hostCpuCores(a, b, 2)).toBeCloseTo(1.5, 6);
  });

  it('reads used memory from /proc/meminfo as MemTotal less MemAvailable', () => {
    const text = 'MemTotal:        8000000 kB\nMemFree:          100000 kB\nMemAvailable:    6000000 kB\n';
    expect(parseMeminfo(text)).toEqual({ usedBytes: 2_000_000 * 1024, totalBytes: 8_000_000 * 1024 });
    expect(() => parseMeminfo('nothing')).toThrow(/MemAvailable/);
  });
});

describe('Prometheus text', () => {
  it('escapes label values and leaves out empty labels', () => {
    expect(renderSample({ name: 'x', labels: { a: 'say "hi"\\\n', b: '' }, value: 0.5 })).toBe('x{a="say \\"hi\\"\\\\\\n"} 0.5');
    expect(renderSample({ name: 'x', value: NaN })).toBe('x NaN');
  });

  it('refuses names Prometheus would not parse', () => {
    expect(() => renderSample({ name: 'bad-name', value: 1 })).toThrow(/not a valid metric name/);
    expect(() => renderSample({ name: 'x', labels: { 'a-b': '1' }, value: 1 })).toThrow(/not a valid label name/);
  });

  it('writes TYPE and HELP once per metric', () => {
    const text = renderSamples(
      [{ name: 'c', labels: { s: 'a' }, value: 1 }, { name: 'c', labels: { s: 'b' }, value: 2 }],
      { c: { type: 'counter', help: 'Things.' } },
    );
    expect(text).toBe('# HELP c Things.\n# TYPE c counter\nc{s="a"} 1\nc{s="b"} 2\n');
    expect(renderSamples([])).toBe('');
  });
});

describe('bounded parallel work', () => {
  it('never runs more than the limit at once, and keeps a failure as a result', async () => {
    let inFlight = 0;
    let most = 0;
    const results = await inParallel([1, 2, 3, 4, 5, 6, 7], 3, async (n) => {
      inFlight++;
      most = Math.max(most, inFlight);
      await new Promise((r) => setTimeout(r, 5));
      inFlight--;
      if (n === 4) throw new Error('container went away');
      return n * 2;
    });
    expect(most).toBe(3);
    expect(results.filter((r) => !(r instanceof Error))).toEqual([2, 4, 6, 10, 12, 14]);
    expect((results[3] as Error).message).toBe('container went away');
  });
});
