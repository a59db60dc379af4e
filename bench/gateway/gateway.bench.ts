/**
 * bench/gateway — the gateway's figures (issue: gateway benchmark):
 *   1. with 100 projects of 10 services each (seeded through the API, reused by later runs):
 *      the `projects` query at 200 requests/s, open loop, as a viewer of exactly those 100 projects
 *      (the owner would also see what other runs left on this machine); p99 ≤ 50 ms.
 *      A round stops once 2 s of requests are outstanding (the gateway cannot keep up); then the
 *      closed-loop capacity and one request on the idle gateway say why
 *   2. an event appended to the event store → the `deploymentUpdated` message at a graphql-ws
 *      client; p99 ≤ 100 ms
 * It starts its own gateway and the services the seed needs (as the tests do) against the
 * infrastructure of infra/scripts/up.sh; on this machine other runs may share that infrastructure.
 * Run: npm run bench:gateway   (BENCH_ROUNDS, BENCH_SECONDS, BENCH_RATE, BENCH_EVENT_RATE, BENCH_EVENT_SAMPLES)
 */
import { loadavg } from 'node:os';
import { infraEnv, GraphqlTestClient, startPlatformProcess, startPlatformProcesses, waitUntil, type PlatformProcess } from '@slipway/testing';
import { benchMember, benchProjectName, failedDeployments, PROJECTS, seedProjects, SERVICES_PER_PROJECT, signInBenchMember } from './bench-seed';
import { acceptEncoding, openLoopLoad, type LoadResult } from './open-loop-load';
import { answerSize, closedLoopCapacity, idleRequestLatency } from './projects-query-profile';
import { measureViewLatency, profileProjectionWrite } from './view-latency';

const RATE = Number(process.env.BENCH_RATE ?? 200);
const SECONDS = Number(process.env.BENCH_SECONDS ?? 20);
const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 3);
const EVENT_DEPLOYMENTS = 10;
const EVENT_RATE = Number(process.env.BENCH_EVENT_RATE ?? 5);
const EVENT_SAMPLES = Number(process.env.BENCH_EVENT_SAMPLES ?? 300);
const CAPACITY_CONNECTIONS = 4;
const QUERY = '{ projects { id name services { id name port replicas source { kind } } } }';

// Unanswered requests are Infinity: compare without subtracting (∞ − ∞ is NaN).
const ascending = (a: number, b: number) => (a === b ? 0 : a < b ? -1 : 1);
const percentile = (xs: number[], p: number) => [...xs].sort(ascending)[Math.min(xs.length - 1, Math.ceil((p / 100) * xs.length) - 1)];
const median = (xs: number[]) => [...xs].sort(ascending)[Math.floor(xs.length / 2)];
const ms = (x: number) => (Number.isFinite(x) ? `${x.toFixed(1)} ms` : 'no answer');
const answered = (r: LoadResult) => r.latencies.filter(Number.isFinite);
const load = () => loadavg().map((l) => l.toFixed(2)).join(', ');

const main = async () => {
  const registry = infraEnv().REGISTRY;
  const imageRef = `${registry}/bench/none:1`; // never pushed: a deployment of it fails at its build
  const processes: PlatformProcess[] = await startPlatformProcesses(['project', 'quota', 'build', 'deploy']);
  const gateway = await startPlatformProcess('gateway', { waitForReady: false });
  processes.push(gateway);
  const api = new GraphqlTestClient(gateway.port);
  const member = new GraphqlTestClient(gateway.port);
  try {
    // Only the gateway's own readiness: the services this bench does not start show as unreachable.
    await waitUntil('the gateway', async () => ((await gateway.health()).body.gateway as { status?: string } | undefined)?.status === 'ready', 90_000).catch(async (err) => {
      const health = await gateway.health().catch((e) => e);
      throw new Error(`${err.message}: ${JSON.stringify(health)}\n--- gateway output ---\n${gateway.output().slice(-3000)}`);
    });
    await api.signInAsOwner();
    console.log(`gateway bench: gateway pid ${gateway.pid} on :${gateway.port}; load average ${load()} (2 CPUs)`);

    await seedProjects(api, imageRef);
    type Page = { projects: { id: string; name: string; services: unknown[] }[] };
    const bench = (await api.request<Page>(QUERY)).projects.filter((p) => /^gbench-\d{3}$/.test(p.name) && Number(p.name.slice(7)) < PROJECTS);
    const token = await signInBenchMember(api, member, bench.map((p) => p.id));
    const { projects } = await member.request<Page>(QUERY);
    if (projects.length !== PROJECTS || projects.some((p) => !p.name.startsWith('gbench-') || p.services.length !== SERVICES_PER_PROJECT)) {
      throw new Error(`seed incomplete: ${benchMember.email} sees ${projects.length} projects, e.g. ${projects[0]?.name ?? benchProjectName(0)}`);
    }
    const services = projects.reduce((n, p) => n + p.services.length, 0);
    console.log(`projects query answers ${projects.length} projects, ${services} services to ${benchMember.email}`);

    // 1a. One request at a time on the idle gateway (also the warm-up): where the time goes.
    const target = {
      port: gateway.port,
      token,
      body: JSON.stringify({ query: QUERY }),
      ok: (b: Buffer) => b.subarray(0, 22).toString() === '{"data":{"projects":[{' && !b.includes('"errors"'),
    };
    const idle = await idleRequestLatency(gateway.port, token, QUERY);
    const size = await answerSize(gateway.port, token, QUERY);
    const capacity = await closedLoopCapacity(gateway.port, token, QUERY, CAPACITY_CONNECTIONS, 10);
    console.log(`capacity: ${capacity.perSecond.toFixed(1)} answers/s with ${CAPACITY_CONNECTIONS} requests always in flight (median ${ms(capacity.medianLatency)}; load ${load()})`);

    // 2. Event appended → subscription message (before the load, which may leave FerretDB busy).
    const deploymentIds = await failedDeployments(api, imageRef, EVENT_DEPLOYMENTS);
    const views = await measureViewLatency(api, infraEnv().NATS_URL, deploymentIds, EVENT_RATE, EVENT_SAMPLES);
    const projectionQueries = await profileProjectionWrite(infraEnv().MONGO_URL, deploymentIds[0]);
    console.log(`event → subscription: ${views.fromAppend.length}/${views.appended} samples, p50 ${ms(percentile(views.fromAppend, 50))}, ` +
      `p99 ${ms(percentile(views.fromAppend, 99))} (load ${load()})`);

    // 1b. The projects query, open loop.
    const rounds: LoadResult[] = [];
    for (let round = 1; round <= ROUNDS; round++) {
      const r = await openLoopLoad(target, RATE, SECONDS);
      rounds.push(r);
      console.log(
        `round ${round}: p50 ${ms(percentile(r.latencies, 50))}  p90 ${ms(percentile(r.latencies, 90))}  p99 ${ms(percentile(r.latencies, 99))}  ` +
          `max ${ms(Math.max(...r.latencies))}  answered ${r.achievedPerSecond.toFixed(1)}/s  errors ${r.errors}/${r.sent}` +
          (r.saturatedAfter === undefined
            ? ''
            : ` — saturated after ${r.saturatedAfter.toFixed(1)} s, stopped with ${r.sent} of ${r.scheduled} sent; the ${answered(r).length} answered took ` +
              `${ms(Math.min(...answered(r)))} to ${ms(Math.max(...answered(r)))}`) +
          `  (generator send lag ≤ ${ms(r.maxSendLag)}; load ${load()})${r.firstError ? `\n  first error: ${r.firstError}` : ''}`,
      );
      if (r.saturatedAfter !== undefined) {
        console.log(`the gateway cannot keep up with ${RATE}/s: no further rounds (they would only load the shared machine)`);
        break;
      }
    }
    const loadAfter = load();

    const q = (p: number) => median(rounds.map((r) => percentile(r.latencies, p)));
    const qMax = median(rounds.map((r) => Math.max(...r.latencies)));
    const pass = (ok: boolean) => (ok ? 'PASS' : 'FAIL');
    const saturated = rounds.filter((r) => r.saturatedAfter !== undefined).length;
    console.log(`\ngateway bench — ${new Date().toISOString()}; load average ${loadAfter} (1, 5, 15 min; 2 CPUs)`);
    console.log(`1. projects query (${projects.length} projects, ${services} services, ${(size.decoded / 1024).toFixed(0)} KiB of JSON sent as ` +
      `${(size.sent / 1024).toFixed(0)} KiB ${size.encoding}), a viewer's bearer token, Accept-Encoding: ${acceptEncoding} as browsers send,`);
    console.log(`   open loop at ${RATE}/s for ${SECONDS} s × ${rounds.length} round(s) over ≤ 64 keep-alive connections; latency from each request's`);
    console.log(`   scheduled send time to its last response byte (no coordinated omission); median over rounds; "no answer" = none in time`);
    console.log(`     p50 ${ms(q(50))}   p90 ${ms(q(90))}   p99 ${ms(q(99))}   max ${ms(qMax)}`);
    console.log(`     answered ${median(rounds.map((r) => r.achievedPerSecond)).toFixed(1)}/s; errors ${rounds.map((r) => `${r.errors}/${r.sent}`).join(', ')}` +
      (saturated ? `; saturated (> ${2 * RATE} outstanding) and stopped early` : ''));
    console.log(`     capacity, closed loop with ${CAPACITY_CONNECTIONS} in flight: ${capacity.perSecond.toFixed(1)}/s (median ${ms(capacity.medianLatency)})`);
    console.log(`     one request at a time on the idle gateway: median ${ms(idle)} of 30`);
    console.log(`2. BuildStarted appended → deploymentUpdated at a graphql-ws client: ${views.fromAppend.length} of ${views.appended} samples,`);
    console.log(`   ${EVENT_RATE}/s over ${EVENT_DEPLOYMENTS} FAILED deployments; from the append call (from its ack in brackets)`);
    const v = (xs: number[], p: number) => ms(percentile(xs, p));
    console.log(`     p50 ${v(views.fromAppend, 50)} (${v(views.fromAck, 50)})   p99 ${v(views.fromAppend, 99)} (${v(views.fromAck, 99)})   ` +
      `max ${ms(Math.max(...views.fromAppend))} (${ms(Math.max(...views.fromAck))}); missing ${views.missing}`);
    console.log(`     of which append → the projection's announcement on NATS: p50 ${v(views.toAnnouncement, 50)}   p99 ${v(views.toAnnouncement, 99)}`);
    console.log('   the read-store calls each event costs the projection (the same calls, from here, medians of 15):');
    for (const [part, t] of projectionQueries) console.log(`     ${part.padEnd(52)} ${ms(t).padStart(9)}`);
    console.log('\n  figure                                      measured     target     ');
    console.log(`  projects query p99 at ${RATE}/s                  ${ms(q(99)).padStart(10)}    ≤ 50 ms    ${pass(q(99) <= 50 && rounds.every((r) => r.errors === 0))}`);
    const eventP99 = percentile(views.fromAppend, 99);
    console.log(`  event appended → subscription p99           ${ms(eventP99).padStart(10)}    ≤ 100 ms   ${pass(eventP99 <= 100 && views.missing === 0)}`);
  } finally {
    await api.close();
    await member.close();
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
