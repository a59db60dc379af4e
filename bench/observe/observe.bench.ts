/**
 * bench/observe (issue 13): runtime logs and metrics, in one run.
 *   1. logs: one service writes BENCH_LOG_RATE lines/s (default 10,000) for BENCH_LOG_SECONDS (10);
 *      the rate at which they became searchable through the gateway's serviceLogs, and the delay from
 *      each sampled line's own write time until a serviceLogs search first returned it (BENCH_LOG_SAMPLES
 *      sequence numbers, default 300). Target: 10,000/s with p99 searchable ≤ 5 s.
 *   2. metrics: the delay from a point's collection time (its timestamp in VictoriaMetrics) until
 *      serviceMetrics, asked as the console asks it (the last 15 minutes), returns it; BENCH_METRIC_SAMPLES
 *      points (default 30, one per 10 s collection).
 *      Beside them, where a line's time goes (pipeline-probe.ts) and the CPU each process used.
 *   3. memory (control-plane-memory.ts): the two stores plus what the metrics service adds over an
 *      empty service of ours, before the run, right after it, and BENCH_IDLE_SECONDS (150) after it
 *      (target ≤ 100 MB at idle).
 * It starts its own Slipway processes (as the tests do). Run: npm run bench:observe
 */
import Dockerode from 'dockerode';
import { GitRepoFixture, startSignedInPlatform, waitUntil, type SignedInPlatform } from '@slipway/testing';
import { victoriaLogsUrl } from '@slipway/proto';
import { logApp, sampleSearchable, seqText, storedLines } from './log-throughput';
import { hopReport, probePipeline } from './pipeline-probe';
import { controlPlaneMemory, emptyServiceRss, memoryReport } from './control-plane-memory';

const RATE = Number(process.env.BENCH_LOG_RATE ?? 10_000);
const SECONDS = Number(process.env.BENCH_LOG_SECONDS ?? 10);
const LOG_SAMPLES = Number(process.env.BENCH_LOG_SAMPLES ?? 300);
const METRIC_SAMPLES = Number(process.env.BENCH_METRIC_SAMPLES ?? 30);
const VICTORIALOGS = victoriaLogsUrl(process.env.VICTORIALOGS_URL);
const VICTORIAMETRICS = (process.env.VICTORIAMETRICS_URL ?? 'http://127.0.0.1:8428').replace(/\/$/, '');
const SETTLE_MS = 15_000;
const IDLE_MS = Number(process.env.BENCH_IDLE_SECONDS ?? 150) * 1_000;
const FINAL = ['SUCCEEDED', 'FAILED', 'CANCELLED', 'BLOCKED'];

const quantile = (xs: number[], q: number) => [...xs].sort((a, b) => a - b)[Math.max(0, Math.ceil(q * xs.length) - 1)] ?? NaN;
const s = (ms: number) => `${(ms / 1000).toFixed(2)} s`;

/** The raw points of the service's memory series, from VictoriaMetrics: collection time (ms) → value. */
const rawPoints = async (serviceId: string, sinceMs: number) => {
  const params = new URLSearchParams({ 'match[]': `slipway_container_memory_bytes{service=${JSON.stringify(serviceId)}}`, start: String(Math.floor(sinceMs / 1000)) });
  const text = await (await fetch(`${VICTORIAMETRICS}/api/v1/export?${params}`)).text();
  const points: { at: number; value: number }[] = [];
  for (const row of text.split('\n').filter(Boolean)) {
    const series = JSON.parse(row) as { values: number[]; timestamps: number[] };
    series.timestamps.forEach((at, i) => points.push({ at, value: series.values[i] }));
  }
  return points.sort((a, b) => a.at - b.at);
};

/** Polls serviceMetrics as the console does (to = now rounded up to 10 s, from = 15 minutes before) every 250 ms. */
const metricsDelays = async (platform: SignedInPlatform, serviceId: string, samples: number) => {
  type Point = { at: string; memoryBytes: number };
  const answers: { receivedAt: number; points: Point[] }[] = [];
  const startedAt = Date.now();
  const until = startedAt + (samples + 1.5) * 10_000;
  while (Date.now() < until) {
    const to = Math.ceil(Date.now() / 10_000) * 10_000;
    const { serviceMetrics } = await platform.api.request<{ serviceMetrics: Point[] }>('query($id: ID!, $from: String!, $to: String!) { serviceMetrics(serviceId: $id, from: $from, to: $to) { at memoryBytes } }', {
      id: serviceId, from: new Date(to - 15 * 60_000).toISOString(), to: new Date(to).toISOString(),
    });
    answers.push({ receivedAt: Date.now(), points: serviceMetrics });
    await new Promise((r) => setTimeout(r, 250));
  }
  // A collection counts from the first answer whose point for its step (at - 10 s < collection ≤ at) holds its value.
  const collected = (await rawPoints(serviceId, startedAt)).filter((p) => p.at > startedAt + 1_000 && p.at < until - 10_000);
  const delays: number[] = [];
  for (const c of collected) {
    const first = answers.find((a) => a.points.some((p) => Date.parse(p.at) >= c.at && Date.parse(p.at) - 10_000 < c.at && p.memoryBytes === c.value));
    if (first) delays.push(first.receivedAt - c.at);
  }
  return { collected: collected.length, delays, polls: answers.length };
};

const main = async () => {
  // The Node baseline of a service of ours, before the platform starts (see control-plane-memory.ts).
  const emptyService = await emptyServiceRss(SETTLE_MS);
  // A process per service: the metrics service's own RSS is measured against an empty service's.
  const platform = await startSignedInPlatform({ readyWithinMs: 120_000, oneProcess: false });
  const gql = <T>(q: string, v: Record<string, unknown> = {}) => platform.api.request<T>(q, v);
  const docker = new Dockerode();
  const repo = new GitRepoFixture();
  const metricsPid = platform.processes.find((p) => p.name === 'metrics')!.pid;
  let projectId: string | undefined;
  try {
    await new Promise((r) => setTimeout(r, SETTLE_MS)); // the services settle after start
    const idle = await controlPlaneMemory(metricsPid);

    repo.commit(logApp, 'log app');
    const stamp = Date.now().toString(36);
    projectId = await platform.createProject(`bo-${stamp}`);
    const serviceId = (
      await gql<{ createService: { id: string } }>('mutation($i: CreateServiceInput!) { createService(input: $i) { id } }', {
        i: { projectId, name: 'logs', port: 3000, healthCheckPath: '/healthz', source: { git: { url: repo.url, ref: 'main' } } },
      })
    ).createService.id;
    const { deployService } = await gql<{ deployService: { id: string } }>('mutation($id: ID!) { deployService(serviceId: $id) { id } }', { id: serviceId });
    let url = '';
    await waitUntil('the log app deployed', async () => {
      const { deployment } = await gql<{ deployment: { status: string; error: string | null; url: string } }>('query($id: ID!) { deployment(id: $id) { status error url } }', { id: deployService.id });
      if (FINAL.includes(deployment.status) && deployment.status !== 'SUCCEEDED') throw new Error(`deployment ${deployment.status}: ${deployment.error}`);
      url = deployment.url;
      return deployment.status === 'SUCCEEDED';
    }, 300_000, 250);
    // The collector follows the new container: its first line is searchable before the run starts.
    await waitUntil('the app\'s first line in serviceLogs', async () => {
      const { serviceLogs } = await gql<{ serviceLogs: { lines: unknown[] } }>('query($id: ID!) { serviceLogs(serviceId: $id, search: "listening on 3000") { lines { message } } }', { id: serviceId });
      return serviceLogs.lines.length > 0;
    }, 60_000, 250);

    // 1. Log throughput and searchable delay.
    const run = `r${stamp}`;
    const total = RATE * SECONDS;
    const app = url.replace(/\/$/, '');
    await waitUntil('the log app to serve through the edge', async () => (await platform.https.get(`${app}/`, 3_000).catch(() => ({ status: 0 }))).status === 200, 60_000, 250);
    const since = new Date(Date.now() - 1_000).toISOString();
    const [container] = await docker.listContainers({ filters: { label: [`slipway.service=${serviceId}`], status: ['running'] } });
    const logPath = (await docker.getContainer(container.Id).inspect()).LogPath;
    const probe = await probePipeline({ victoriaLogs: VICTORIALOGS, logPath, serviceId, run, since, every: 100 });
    const answer = await platform.https.get(`${app}/emit/${run}/${RATE}/${SECONDS}`);
    const startedAt = Date.now();
    if (answer.status !== 202) throw new Error(`the log app did not start writing: ${answer.status} ${answer.body}`);
    const sampled = await sampleSearchable(platform.api, { serviceId, run, total, rate: RATE, startedAt, since, samples: LOG_SAMPLES, timeoutMs: SECONDS * 1_000 + 60_000 });
    const probed = await probe.stop();
    const stored = await storedLines(VICTORIALOGS, serviceId, run, since);
    const first = sampled.found.find((f) => f.seq === 0);
    const last = sampled.found.find((f) => f.seq === total - 1);
    const logDelays = sampled.found.map((f) => f.searchableAt - f.writtenAt);
    console.log(`logs: ${sampled.found.length}/${sampled.found.length + sampled.missing.length} samples found in ${sampled.rounds} rounds (${sampled.queries} serviceLogs queries, ${sampled.failed} failed); stored ${stored.lines} lines (${stored.distinct} distinct) of ${total}`);
    if (sampled.missing.length) console.log(`  never found: ${sampled.missing.slice(0, 10).map((q) => seqText(run, q)).join(', ')}${sampled.missing.length > 10 ? ' …' : ''}`);

    // 2. Metrics: point → serviceMetrics (the log app idle again).
    const metrics = await metricsDelays(platform, serviceId, METRIC_SAMPLES);
    const after = await controlPlaneMemory(metricsPid);
    // Idle means nothing asked for a while: Go forces a collection every 2 minutes and returns freed memory after it.
    await new Promise((r) => setTimeout(r, IDLE_MS));
    const idleAfter = await controlPlaneMemory(metricsPid);

    const written = first && last ? last.writtenAt - first.writtenAt : NaN;
    const searchable = first && last ? last.searchableAt - first.writtenAt : NaN;
    const p99 = quantile(logDelays, 0.99);
    const met = (ok: boolean) => (ok ? 'met' : 'NOT met');
    console.log(`\nobserve bench: one service, ${total.toLocaleString('en')} lines asked at ${RATE.toLocaleString('en')}/s for ${SECONDS} s`);
    console.log(`  written by the app          ${(((total - 1) / written) * 1000).toFixed(0).padStart(7)} lines/s   (first to last line ${s(written)})`);
    console.log(`  searchable (serviceLogs)    ${(((stored.distinct - 1) / searchable) * 1000).toFixed(0).padStart(7)} lines/s   (first line written → last line searchable ${s(searchable)}; ${stored.distinct} distinct lines stored)`);
    console.log(`  line written → searchable   median ${s(quantile(logDelays, 0.5))}   p99 ${s(p99)}   max ${s(Math.max(...logDelays))}   (${logDelays.length} samples; target p99 ≤ 5 s at 10,000/s: ${met(p99 <= 5_000 && stored.distinct === total && RATE >= 10_000 && (total - 1) / written * 1000 >= 0.95 * RATE)})`);
    for (const line of hopReport(probed)) console.log(line);
    const mp99 = quantile(metrics.delays, 0.99);
    console.log(`  metrics point → serviceMetrics   median ${s(quantile(metrics.delays, 0.5))}   p99 ${s(mp99)}   (${metrics.delays.length} of ${metrics.collected} points seen; ${metrics.polls} polls every 250 ms; the console itself asks every 10 s)`);
    for (const line of [...memoryReport('idle, before the run', idle, emptyService), ...memoryReport('right after the run', after, emptyService), ...memoryReport(`idle, ${IDLE_MS / 1000} s after the run`, idleAfter, emptyService)]) console.log(line);
  } finally {
    // Nothing of the bench stays behind: the project goes, and Swarm holds nothing of it before the platform stops.
    if (projectId) {
      const label = [`slipway.project=${projectId}`];
      await gql('mutation($id: ID!) { deleteProject(id: $id, deleteVolumes: true) }', { id: projectId })
        .then(() => waitUntil('the bench project gone from Swarm', async () => (await docker.listServices({ filters: { label } })).length + (await docker.listNetworks({ filters: { label } })).length === 0, 120_000, 250))
        .catch((err: Error) => console.error(`could not delete the bench project ${projectId}: ${err.message}`));
    }
    await platform.stop();
    repo.remove();
  }
};

main().then(
  () => process.exit(0),
  (err) => {
    console.error(err);
    process.exit(1);
  },
);
