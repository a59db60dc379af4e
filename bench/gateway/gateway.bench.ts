/**
 * bench/gateway — the gateway's figures (issue: gateway benchmark):
 *   1. with 100 projects of 10 services each (seeded through the API, reused by later runs):
 *      the `projects` query at 200 requests/s, open loop, as the signed-in owner; p99 ≤ 50 ms
 *   2. an event appended to the event store → the `deploymentUpdated` message at a graphql-ws
 *      client; p99 ≤ 100 ms
 * It starts its own gateway and the services the seed needs (as the tests do) against the
 * infrastructure of infra/scripts/up.sh; on this machine other runs may share that infrastructure.
 * Run: npm run bench:gateway   (BENCH_ROUNDS, BENCH_SECONDS, BENCH_RATE, BENCH_EVENT_SAMPLES)
 */
import { loadavg } from 'node:os';
import { infraEnv, GraphqlTestClient, startPlatformProcess, waitUntil, type PlatformProcess } from '@slipway/testing';
import { benchProjectName, failedDeployments, PROJECTS, seedProjects, SERVICES_PER_PROJECT } from './bench-seed';
import { openLoopLoad, type LoadResult } from './open-loop-load';
import { profileProjectsQuery } from './projects-query-profile';
import { measureViewLatency } from './view-latency';

const RATE = Number(process.env.BENCH_RATE ?? 200);
const SECONDS = Number(process.env.BENCH_SECONDS ?? 20);
const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 3);
const WARM_UP_SECONDS = 5;
const EVENT_DEPLOYMENTS = 10;
const EVENT_RATE = 20;
const EVENT_SAMPLES = Number(process.env.BENCH_EVENT_SAMPLES ?? 400);
const QUERY = '{ projects { id name services { id name port replicas source { kind } } } }';

const percentile = (xs: number[], p: number) => [...xs].sort((a, b) => a - b)[Math.min(xs.length - 1, Math.ceil((p / 100) * xs.length) - 1)];
const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
const ms = (x: number) => `${x.toFixed(1)} ms`;
const load = () => loadavg().map((l) => l.toFixed(2)).join(', ');

const main = async () => {
  const registry = infraEnv().REGISTRY;
  const imageRef = `${registry}/bench/none:1`; // never pushed: a deployment of it fails at its build
  const processes: PlatformProcess[] = await Promise.all(['project', 'build', 'deploy'].map((name) => startPlatformProcess(name)));
  const gateway = await startPlatformProcess('gateway', { waitForReady: false });
  processes.push(gateway);
  const api = new GraphqlTestClient(gateway.port);
  try {
    // Only the gateway's own readiness: the services this bench does not start show as unreachable.
    await waitUntil('the gateway', async () => ((await gateway.health()).body.gateway as { status?: string } | undefined)?.status === 'ready', 90_000).catch(async (err) => {
      const health = await gateway.health().catch((e) => e);
      throw new Error(`${err.message}: ${JSON.stringify(health)}\n--- gateway output ---\n${gateway.output().slice(-3000)}`);
    });
    const token = await api.signInAsOwner();
    console.log(`gateway bench: gateway pid ${gateway.pid} on :${gateway.port}; load average ${load()} (2 CPUs)`);

    await seedProjects(api, imageRef);
    const { projects } = await api.request<{ projects: { name: string; services: unknown[] }[] }>(QUERY);
    const bench = projects.filter((p) => /^gbench-\d{3}$/.test(p.name) && Number(p.name.slice(7)) < PROJECTS);
    if (bench.length !== PROJECTS || bench.some((p) => p.services.length !== SERVICES_PER_PROJECT)) {
      throw new Error(`seed incomplete: ${bench.length} gbench projects, e.g. ${benchProjectName(0)}`);
    }
    const services = projects.reduce((n, p) => n + p.services.length, 0);
    const bytes = Buffer.byteLength(JSON.stringify({ data: { projects } }));
    console.log(`projects query answers ${projects.length} projects, ${services} services, ${(bytes / 1024).toFixed(0)} KiB ` +
      `(${PROJECTS} × ${SERVICES_PER_PROJECT} gbench-*, the rest other runs' projects: the owner sees every project)`);

    // 1. The projects query, open loop.
    const target = {
      port: gateway.port,
      token,
      body: JSON.stringify({ query: QUERY }),
      ok: (b: Buffer) => b.subarray(0, 22).toString() === '{"data":{"projects":[{' && !b.includes('"errors"'),
    };
    await openLoopLoad(target, RATE, WARM_UP_SECONDS);
    const rounds: LoadResult[] = [];
    for (let round = 1; round <= ROUNDS; round++) {
      const r = await openLoopLoad(target, RATE, SECONDS);
      rounds.push(r);
      console.log(
        `round ${round}: p50 ${ms(percentile(r.latencies, 50))}  p90 ${ms(percentile(r.latencies, 90))}  p99 ${ms(percentile(r.latencies, 99))}  ` +
          `max ${ms(Math.max(...r.latencies))}  ${r.achievedPerSecond.toFixed(1)}/s  errors ${r.errors}/${r.sent}  ` +
          `(generator send lag ≤ ${ms(r.maxSendLag)}; load ${load()})${r.firstError ? `\n  first error: ${r.firstError}` : ''}`,
      );
    }
    const profile = await profileProjectsQuery(infraEnv().MONGO_URL, gateway.port, token, QUERY);

    // 2. Event appended → subscription message.
    const deploymentIds = await failedDeployments(api, imageRef, EVENT_DEPLOYMENTS);
    const views = await measureViewLatency(api, infraEnv().NATS_URL, deploymentIds, EVENT_RATE, EVENT_SAMPLES);
    const loadAfter = load();

    const q = (p: number) => median(rounds.map((r) => percentile(r.latencies, p)));
    const qMax = median(rounds.map((r) => Math.max(...r.latencies)));
    const pass = (ok: boolean) => (ok ? 'PASS' : 'FAIL');
    console.log(`\ngateway bench — ${new Date().toISOString()}; load average ${loadAfter} (1, 5, 15 min; 2 CPUs)`);
    console.log(`1. projects query (${projects.length} projects, ${services} services, ${(bytes / 1024).toFixed(0)} KiB), owner bearer token,`);
    console.log(`   open loop at ${RATE}/s × ${SECONDS} s × ${ROUNDS} rounds after ${WARM_UP_SECONDS} s warm-up; latency from each request's`);
    console.log(`   scheduled send time to its last response byte (no coordinated omission); median over rounds`);
    console.log(`     p50 ${ms(q(50))}   p90 ${ms(q(90))}   p99 ${ms(q(99))}   max ${ms(qMax)}`);
    console.log(`     achieved ${median(rounds.map((r) => r.achievedPerSecond)).toFixed(1)}/s; errors ${rounds.map((r) => r.errors).join(', ')} of ${rounds.map((r) => r.sent).join(', ')}`);
    console.log('   one request on an idle gateway, medians of 30 (the read-model queries timed from here, one at a time):');
    for (const [part, t] of profile) console.log(`     ${part.padEnd(48)} ${ms(t).padStart(9)}`);
    console.log(`2. BuildStarted appended → deploymentUpdated at a graphql-ws client: ${views.fromAppend.length} of ${views.appended} samples,`);
    console.log(`   ${EVENT_RATE}/s over ${EVENT_DEPLOYMENTS} FAILED deployments; from the append call (from its ack in brackets)`);
    const v = (xs: number[], p: number) => ms(percentile(xs, p));
    console.log(`     p50 ${v(views.fromAppend, 50)} (${v(views.fromAck, 50)})   p99 ${v(views.fromAppend, 99)} (${v(views.fromAck, 99)})   ` +
      `max ${ms(Math.max(...views.fromAppend))} (${ms(Math.max(...views.fromAck))}); missing ${views.missing}`);
    console.log('\n  figure                                      measured    target     ');
    console.log(`  projects query p99 at ${RATE}/s                  ${ms(q(99)).padStart(9)}    ≤ 50 ms    ${pass(q(99) <= 50 && rounds.every((r) => r.errors === 0))}`);
    const eventP99 = percentile(views.fromAppend, 99);
    console.log(`  event appended → subscription p99           ${ms(eventP99).padStart(9)}    ≤ 100 ms   ${pass(eventP99 <= 100 && views.missing === 0)}`);
  } finally {
    await api.close();
    await Promise.all(processes.map((p) => p.stop()));
  }
};

main().then(
  () => process.exit(0),
  (err) => {
    console.error(err);
    process.exit(1);
  },
);
