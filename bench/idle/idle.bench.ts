/**
 * bench/idle (issue 14): the control plane's memory at idle, as a person gets it. It runs
 * `npm start` (infra/start.sh: one process for every service and the gateway), waits until the
 * console answers, lets it idle IDLE_S seconds, and sums the RSS (median of 5 readings a second
 * apart) of Slipway's own processes, NATS, the read store (FerretDB), Caddy and the registry.
 * Target: ≤ 300 MB. VictoriaLogs and VictoriaMetrics are printed beside it (bench/observe counts
 * them against their own target). Then it stops what it started with Ctrl-C's signal.
 *
 * Then the same for a fresh instance, as a new user gets it (the figure was measured on a
 * fresh machine): the same process (run-service.sh all) on an empty NATS and an empty FerretDB of
 * its own (startScratchPlatform), beside this machine's Caddy and registry. This machine's own
 * instance holds every earlier test run's projects and deployments, and the gateway's view cache
 * (ADR 0010) keeps its hot read models in memory, so the first figure grows with that history.
 *
 * It refuses beside a running `npm start` (bench.sh). Run: npm run bench:idle
 */
import { spawn, spawnSync } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { repoRoot, startPlatformProcess, startScratchPlatform, waitUntil } from '@slipway/testing';
import { medianRss, SAMPLES, statusKb } from '../observe/control-plane-memory';

const IDLE_S = Number(process.env.IDLE_S ?? 60);
const TARGET_MB = 300;
const data = process.env.SLIPWAY_DATA_DIR ?? '/var/lib/slipway';

/** The pid in $DATA/run/<name>.pid (first line), if that process runs. */
const pidFile = (name: string): number[] => {
  try {
    const pid = Number(readFileSync(join(data, 'run', `${name}.pid`), 'utf8').split('\n')[0]);
    process.kill(pid, 0);
    return [pid];
  } catch {
    return [];
  }
};

const parentOf = (pid: number) => {
  try {
    return Number(/PPid:\s+(\d+)/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'))?.[1] ?? 0);
  } catch {
    return 0;
  }
};
const allPids = () => readdirSync('/proc').filter((e) => /^\d+$/.test(e)).map(Number);
const commOf = (pid: number) => {
  try {
    return readFileSync(`/proc/${pid}/comm`, 'utf8').trim();
  } catch {
    return '';
  }
};
/** The node processes under `root` (npm start's shell), or `root` itself (run-service.sh execs node): Slipway's own. */
const nodeUnder = (root: number) => () =>
  allPids().filter((pid) => {
    if (!['node', 'MainThread'].includes(commOf(pid))) return false;
    for (let p = pid; p > 1; p = parentOf(p)) if (p === root) return true;
    return false;
  });
/** Caddy runs as the Swarm service slipway-caddy: its container's processes. */
const caddyPids = () => {
  const ids = spawnSync('docker', ['ps', '-q', '--filter', 'label=com.docker.swarm.service.name=slipway-caddy'], { encoding: 'utf8' }).stdout.trim().split('\n').filter(Boolean);
  const roots = ids.map((id) => Number(spawnSync('docker', ['inspect', '-f', '{{.State.Pid}}', id], { encoding: 'utf8' }).stdout.trim())).filter(Boolean);
  return allPids().filter((pid) => roots.includes(pid) || roots.includes(parentOf(pid)));
};

const mb = (kb: number) => `${(kb / 1024).toFixed(1)} MB`;

/** Prints each group's median RSS, the total against the target, and the stores beside it. */
const report = async (groups: Record<string, () => number[]>) => {
  const beside: Record<string, () => number[]> = { victorialogs: () => pidFile('victorialogs'), victoriametrics: () => pidFile('victoriametrics') };
  const rss = await medianRss({ ...groups, ...beside });
  const anon = (name: string) => [...(groups[name] ?? beside[name])()].reduce((s, pid) => s + statusKb(pid, 'RssAnon'), 0);
  let total = 0;
  for (const name of Object.keys(groups)) {
    const pids = groups[name]();
    if (!pids.length) throw new Error(`no ${name} process found: is it running?`);
    total += rss[name];
    console.log(`  ${name.padEnd(22)} ${mb(rss[name]).padStart(9)}   (anonymous ${mb(anon(name))}; ${pids.length} process${pids.length > 1 ? 'es' : ''})`);
  }
  console.log(`  ${'total'.padEnd(22)} ${mb(total).padStart(9)}   target ≤ ${TARGET_MB} MB: ${total <= TARGET_MB * 1024 ? 'met' : 'NOT met'}`);
  for (const name of Object.keys(beside)) console.log(`  beside it: ${name} ${mb(rss[name])}`);
};

/** The processes of `binary` with `arg` among their arguments (a scratch server's port). */
const withArg = (binary: string, arg: string) => () =>
  allPids().filter((pid) => {
    try {
      const argv = readFileSync(`/proc/${pid}/cmdline`, 'utf8').split('\0');
      return argv[0].endsWith(binary) && argv.includes(arg);
    } catch {
      return false;
    }
  });

/** The same process on an empty NATS and FerretDB of its own: what a new user's instance idles at. */
const freshInstance = async () => {
  console.log(`bench/idle, a fresh instance: run-service.sh all on an empty NATS and read store, ready, ${IDLE_S} s idle`);
  const scratch = await startScratchPlatform();
  try {
    const started = Date.now();
    const platform = await startPlatformProcess('all', { env: scratch.env });
    try {
      console.log(`  ready after ${((Date.now() - started) / 1000).toFixed(0)} s; idling ${IDLE_S} s`);
      await new Promise((r) => setTimeout(r, IDLE_S * 1000));
      const port = (url: string) => new URL(url).port;
      await report({
        slipway: nodeUnder(platform.pid),
        nats: withArg('nats-server', port(scratch.NATS_URL)),
        'read store (ferretdb)': withArg('ferretdb', `--listen-addr=127.0.0.1:${port(scratch.MONGO_URL)}`),
        caddy: caddyPids,
        registry: () => pidFile('registry'),
      });
    } finally {
      await platform.stop();
    }
  } finally {
    await scratch.stop();
  }
};

const main = async () => {
  console.log(`bench/idle: npm start, ready, ${IDLE_S} s idle, then RSS (median of ${SAMPLES} readings a second apart)`);
  const started = Date.now();
  const start = spawn('bash', [join(repoRoot, 'infra/start.sh')], { cwd: repoRoot, env: { ...process.env, NO_COLOR: '1' }, stdio: ['ignore', 'pipe', 'pipe'] });
  let output = '';
  start.stdout!.on('data', (d) => (output += d));
  start.stderr!.on('data', (d) => (output += d));
  let exited = false;
  const exit = new Promise<void>((resolve) => start.once('exit', () => ((exited = true), resolve())));
  try {
    await waitUntil('npm start to say it is ready', () => {
      if (exited) throw new Error(`npm start exited:\n${output.slice(-3000)}`);
      return /Slipway is ready/.test(output);
    }, 20 * 60_000, 500);
    console.log(`  ready after ${((Date.now() - started) / 1000).toFixed(0)} s (${/Slipway is ready \(([^)]*)\)/.exec(output)?.[1]}); idling ${IDLE_S} s`);
    await new Promise((r) => setTimeout(r, IDLE_S * 1000));
    await report({
      slipway: nodeUnder(start.pid!),
      nats: () => pidFile('nats'),
      'read store (ferretdb)': () => pidFile('ferretdb'),
      caddy: caddyPids,
      registry: () => pidFile('registry'),
    });
  } finally {
    if (!exited) start.kill('SIGTERM');
    await Promise.race([exit, new Promise((r) => setTimeout(r, 30_000))]);
    if (!exited) start.kill('SIGKILL');
  }
};

main()
  .then(freshInstance)
  .catch((err: Error) => {
    console.error(`bench/idle failed: ${err.message}`);
    process.exit(1);
  });
