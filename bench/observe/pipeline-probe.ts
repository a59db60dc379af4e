/**
 * Where a log line's time goes, hop by hop, while bench/observe runs (printed with its figures):
 *   written      the app's own Date.now() in the line (t=…)
 *   docker log   the time dockerd gave the line in the container's json-file log (read from the file)
 *   visible      a direct count query on VictoriaLogs counts it: the collector, the shipper and the
 *                store's own delay before a stored line is searchable, without the gateway
 * `visible` is a cumulative count sampled every PROBE_EVERY_MS: the lines of one container arrive in
 * order, so line n is in once the count since the start passed n. (vl_rows_ingested_total is no
 * measure of this: it was counted up to 2 s after the lines were already searchable.) The CPU each
 * process used over the run is read from /proc.
 */
import { closeSync, fstatSync, openSync, readdirSync, readFileSync, readSync, statSync } from 'node:fs';

const PROBE_EVERY_MS = 250;
const TICKS_PER_S = 100;

export interface HopTimes {
  seq: number;
  writtenAt: number;
  dockerAt?: number;
  visibleAt?: number;
}

/** Follows a json-file log from its end, through Docker's rotation (the file renamed, a new one made). */
class JsonLogTail {
  private fd: number;
  private ino: number;
  private pending = '';
  constructor(private readonly path: string) {
    this.fd = openSync(path, 'r');
    this.ino = fstatSync(this.fd).ino;
    this.offset = fstatSync(this.fd).size;
  }
  private offset: number;
  private readonly buf = Buffer.alloc(1 << 20);

  read(onLine: (line: string) => void) {
    for (;;) {
      const n = readSync(this.fd, this.buf, 0, this.buf.length, this.offset);
      if (n > 0) {
        this.offset += n;
        const parts = (this.pending + this.buf.toString('utf8', 0, n)).split('\n');
        this.pending = parts.pop() ?? '';
        parts.forEach(onLine);
        continue;
      }
      const now = (() => { try { return statSync(this.path).ino; } catch { return this.ino; } })();
      if (now === this.ino) return;
      closeSync(this.fd);
      this.fd = openSync(this.path, 'r');
      this.ino = now;
      this.offset = 0;
    }
  }
  close() {
    closeSync(this.fd);
  }
}

/** utime + stime of a process, in clock ticks; 0 once it is gone. */
const cpuTicks = (pid: number) => {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    return Number(fields[11]) + Number(fields[12]);
  } catch {
    return 0;
  }
};

/** Every process, by a short name: the platform's own by their entry, the stores by binary. */
const processGroups = () => {
  const groups = new Map<string, number[]>();
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    let args: string[];
    try {
      args = readFileSync(`/proc/${entry}/cmdline`, 'utf8').split('\0');
    } catch {
      continue;
    }
    const bin = args[0].split('/').pop() ?? '';
    const dist = /dist\/(?:services\/)?([a-z-]+)\/src\/main\.js$/.exec(args[1] ?? '')?.[1];
    const name = Number(entry) === process.pid ? 'bench (this process)'
      : dist ? (dist === 'gateway' ? 'gateway' : `${dist} service`)
      : args.includes('/app/server.js') ? 'the log app'
      : ['dockerd', 'containerd', 'victoria-logs', 'victoria-metrics', 'caddy', 'nats-server', 'ferretdb'].includes(bin) ? bin
      : bin.startsWith('containerd-shim') ? 'containerd'
      : null;
    if (name) groups.set(name, [...(groups.get(name) ?? []), Number(entry)]);
  }
  return groups;
};

const groupTicks = (groups: Map<string, number[]>) => new Map([...groups].map(([name, pids]) => [name, pids.reduce((sum, pid) => sum + cpuTicks(pid), 0)]));

const vlCount = async (victoriaLogs: string, serviceId: string, run: string, since: string) => {
  const query = `{serviceId=${JSON.stringify(serviceId)}} _time:>=${since} ${JSON.stringify(run)} | stats count() lines`;
  const res = await fetch(`${victoriaLogs}/select/logsql/query`, { method: 'POST', body: new URLSearchParams({ query }) });
  return Number((JSON.parse((await res.text()).trim() || '{}') as { lines?: string }).lines ?? 0);
};

/**
 * Starts probing before the app writes its first line of the run; stop() once the run is searchable.
 * `every`: the hop times are kept for every n-th line.
 */
export const probePipeline = async (o: { victoriaLogs: string; logPath: string; serviceId: string; run: string; since: string; every: number }) => {
  const lineOf = new RegExp(`^obs ${o.run} #(\\d+) t=(\\d+) `);
  const hops = new Map<number, HopTimes>();
  const tail = new JsonLogTail(o.logPath);
  const counts: { at: number; visible: number }[] = [];
  const groups = processGroups();
  const cpuBefore = groupTicks(groups);
  const startedAt = Date.now();
  let busy = false;
  const sample = async () => {
    if (busy) return;
    busy = true;
    try {
      tail.read((raw) => {
        const entry = JSON.parse(raw) as { log: string; time: string };
        const m = lineOf.exec(entry.log);
        if (m && Number(m[1]) % o.every === 0) hops.set(Number(m[1]), { seq: Number(m[1]), writtenAt: Number(m[2]), dockerAt: Date.parse(entry.time) });
      });
      const at = Date.now();
      counts.push({ at, visible: await vlCount(o.victoriaLogs, o.serviceId, o.run, o.since) });
    } finally {
      busy = false;
    }
  };
  const timer = setInterval(() => void sample().catch(() => undefined), PROBE_EVERY_MS);
  return {
    stop: async () => {
      clearInterval(timer);
      while (busy) await new Promise((r) => setTimeout(r, 20));
      await sample();
      tail.close();
      const seconds = (Date.now() - startedAt) / 1000;
      const cpuAfter = groupTicks(groups);
      const cpu = [...cpuAfter].map(([name, ticks]) => ({ name, cores: (ticks - (cpuBefore.get(name) ?? 0)) / TICKS_PER_S / seconds })).sort((a, b) => b.cores - a.cores);
      for (const h of hops.values()) {
        h.visibleAt = counts.find((c) => c.visible > h.seq)?.at;
      }
      return { hops: [...hops.values()].sort((a, b) => a.seq - b.seq), cpu, seconds };
    },
  };
};

const quantile = (xs: number[], q: number) => [...xs].sort((a, b) => a - b)[Math.max(0, Math.ceil(q * xs.length) - 1)] ?? NaN;
const secs = (ms: number) => `${(ms / 1000).toFixed(2)} s`;

/** The lines the bench prints: each hop's delay from the line's write time (median, p99), and the CPU each process used. */
export const hopReport = (probe: Awaited<ReturnType<Awaited<ReturnType<typeof probePipeline>>['stop']>>) => {
  const hop = (label: string, at: (h: HopTimes) => number | undefined) => {
    const delays = probe.hops.flatMap((h) => (at(h) === undefined ? [] : [at(h)! - h.writtenAt]));
    return `    ${label.padEnd(34)} median ${secs(quantile(delays, 0.5))}   p99 ${secs(quantile(delays, 0.99))}   max ${secs(Math.max(...delays))}   (${delays.length} lines)`;
  };
  return [
    `  where the time goes (from the line's write time; every ${probe.hops[1]?.seq ?? '?'}th line):`,
    hop('in Docker\'s json-file log', (h) => h.dockerAt),
    hop('visible to a direct count query', (h) => h.visibleAt),
    `  CPU over the run (${probe.seconds.toFixed(1)} s, in cores of 2): ${probe.cpu.filter((c) => c.cores >= 0.01).map((c) => `${c.name} ${c.cores.toFixed(2)}`).join(', ')}`,
  ];
};
