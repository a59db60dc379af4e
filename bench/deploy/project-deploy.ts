/**
 * The deployProject line of bench/deploy (issue 11): a project of three services db ← api ← web,
 * deployed (a) with one deployProject call until all three SUCCEEDED, and (b) by hand, as a person
 * would: deployService(db), wait until SUCCEEDED, deployService(api), wait, deployService(web), wait.
 * Each run uses a fresh project, deleted afterwards (Swarm left empty, not timed); (a) and (b)
 * alternate, so both see the same machine. Target: median (a) ≤ 1.15 × median (b), same run.
 */
import { performance } from 'node:perf_hooks';
import Dockerode from 'dockerode';
import { buildTestApp, infraEnv, waitUntil, type GraphqlTestClient } from '@slipway/testing';

export const PROJECT_RUNS = Number(process.env.BENCH_PROJECT_RUNS ?? 5);
const TARGET = 1.15;
const FIELDS = 'id serviceName status error createdAt buildStartedAt rolloutStartedAt finishedAt';
const ENDED = ['SUCCEEDED', 'FAILED', 'CANCELLED', 'BLOCKED'];
const SERVICES = ['db', 'api', 'web'] as const;
type Deployment = {
  id: string;
  serviceName: string;
  status: string;
  error: string | null;
  createdAt: string;
  buildStartedAt: string | null;
  rolloutStartedAt: string | null;
  finishedAt: string | null;
};
type Run = { wallMs: number; deployments: Deployment[] };

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
const s = (ms: number) => `${(ms / 1000).toFixed(2)} s`;
const at = (iso: string | null) => Date.parse(iso ?? 'invalid');

/** Resolves once every deployment SUCCEEDED, as the client hears it (graphql-ws; the first message is the current state). */
const untilSucceeded = (api: GraphqlTestClient, ids: string[], timeoutMs = 300_000) =>
  new Promise<Deployment[]>((resolve, reject) => {
    const latest = new Map<string, Deployment>();
    const stops: (() => void)[] = [];
    let done = false;
    const finish = (err?: Error) => {
      if (done) return;
      done = true;
      clearTimeout(timer);
      stops.forEach((stop) => stop());
      if (err) reject(err);
      else resolve(ids.map((id) => latest.get(id)!));
    };
    const timer = setTimeout(() => finish(new Error(`Timed out after ${timeoutMs} ms: ${[...latest.values()].map((d) => `${d.serviceName} ${d.status}`).join(', ')}`)), timeoutMs);
    for (const id of ids) {
      stops.push(
        api.subscribe<{ deploymentUpdated: Deployment }>(`subscription($id: ID!) { deploymentUpdated(deploymentId: $id) { ${FIELDS} } }`, { id }, ({ deploymentUpdated: d }) => {
          latest.set(id, d);
          if (ENDED.includes(d.status) && d.status !== 'SUCCEEDED') finish(new Error(`${d.serviceName} ${d.status}: ${d.error}`));
          else if (ids.every((i) => latest.get(i)?.status === 'SUCCEEDED')) finish();
        }, (err) => finish(new Error(`deploymentUpdated: ${JSON.stringify(err)}`))),
      );
    }
  });

export const benchProjectDeploy = async (api: GraphqlTestClient, runs = PROJECT_RUNS) => {
  const docker = new Dockerode();
  const image = await buildTestApp(docker, { registry: infraEnv().REGISTRY, repository: 'slipway-bench/deps-app', version: 'v1', healthy: true });
  const stamp = Date.now().toString(36);
  const left: string[] = [];

  const createProject = async (name: string) => {
    const projectId = (await api.request<{ createProject: { id: string } }>('mutation($n: String!) { createProject(input: { name: $n }) { id } }', { n: name })).createProject.id;
    left.push(projectId);
    const ids: Record<string, string> = {};
    for (const [service, dependsOn] of [['db', []], ['api', ['db']], ['web', ['api']]] as const) {
      ids[service] = (
        await api.request<{ createService: { id: string } }>('mutation($i: CreateServiceInput!) { createService(input: $i) { id } }', {
          i: { projectId, name: service, port: 3000, healthCheckPath: '/healthz', cpu: 0.1, memoryMb: 128, source: { image: { ref: image } }, dependsOn: dependsOn.map((d) => ids[d]) },
        })
      ).createService.id;
    }
    return { projectId, ids };
  };
  // Not timed: the project goes, and nothing of it may stay in Swarm before the next run starts.
  const deleteProject = async (projectId: string) => {
    await api.request('mutation($id: ID!) { deleteProject(id: $id) }', { id: projectId });
    const label = [`slipway.project=${projectId}`];
    const inSwarm = async () => (await docker.listServices({ filters: { label } })).length + (await docker.listNetworks({ filters: { label } })).length;
    await waitUntil(`project ${projectId} gone from Swarm`, async () => (await inSwarm()) === 0, 120_000, 250);
    left.splice(left.indexOf(projectId), 1);
  };

  const withDeployProject = async (name: string): Promise<Run> => {
    const { projectId } = await createProject(name);
    const t0 = performance.now();
    const started = (await api.request<{ deployProject: Deployment[] }>(`mutation($p: ID!) { deployProject(projectId: $p) { ${FIELDS} } }`, { p: projectId })).deployProject;
    const deployments = await untilSucceeded(api, started.map((d) => d.id));
    const wallMs = performance.now() - t0;
    await deleteProject(projectId);
    return { wallMs, deployments };
  };
  const byHand = async (name: string): Promise<Run> => {
    const { projectId, ids } = await createProject(name);
    const deployments: Deployment[] = [];
    const t0 = performance.now();
    for (const service of SERVICES) {
      const { deployService } = await api.request<{ deployService: Deployment }>('mutation($id: ID!) { deployService(serviceId: $id) { id } }', { id: ids[service] });
      deployments.push(...(await untilSucceeded(api, [deployService.id])));
    }
    const wallMs = performance.now() - t0;
    await deleteProject(projectId);
    return { wallMs, deployments };
  };

  const results = { deployProject: [] as Run[], byHand: [] as Run[] };
  try {
    for (let run = 1; run <= runs; run++) {
      const a = await withDeployProject(`bench-deps-${stamp}-${run}a`);
      const b = await byHand(`bench-deps-${stamp}-${run}b`);
      results.deployProject.push(a);
      results.byHand.push(b);
      console.log(`run ${run}: deployProject ${s(a.wallMs)}, by hand ${s(b.wallMs)}`);
    }
  } finally {
    // After a failed run: the project is deleted, or at least nothing of it stays in Swarm.
    for (const projectId of [...left]) {
      await deleteProject(projectId).catch(async (err: Error) => {
        console.error(`could not delete project ${projectId}: ${err.message}; removing what it left in Swarm`);
        const label = [`slipway.project=${projectId}`];
        for (const x of await docker.listServices({ filters: { label } })) await docker.getService(x.ID).remove().catch(() => undefined);
        for (const n of await docker.listNetworks({ filters: { label } })) await docker.getNetwork(n.Id).remove().catch(() => undefined);
      });
    }
  }
  return results;
};

/** Per service, median seconds from the run's first request: queued → build started → roll-out started → SUCCEEDED. */
const timeline = (runs: Run[]) =>
  SERVICES.map((service) => {
    const marks = (pick: (d: Deployment) => string | null) =>
      median(runs.map((r) => at(pick(r.deployments.find((d) => d.serviceName === service)!)) - Math.min(...r.deployments.map((d) => at(d.createdAt)))));
    const t = [marks((d) => d.createdAt), marks((d) => d.buildStartedAt), marks((d) => d.rolloutStartedAt), marks((d) => d.finishedAt)];
    return `${service} ${t.map((x) => (x / 1000).toFixed(2)).join(' → ')}`;
  }).join('   ');

export const printProjectDeploy = ({ deployProject, byHand }: Awaited<ReturnType<typeof benchProjectDeploy>>) => {
  const a = median(deployProject.map((r) => r.wallMs));
  const b = median(byHand.map((r) => r.wallMs));
  const ratio = a / b;
  console.log(`\ndeployProject bench: ${deployProject.length} runs each, db ← api ← web (image sources), a fresh project per run, alternated, medians`);
  console.log('  deployProject (one call → all three SUCCEEDED)      by hand (deployService, wait until SUCCEEDED, next)');
  console.log(`  total      ${s(a).padStart(9)}                             ${s(b).padStart(9)}   ratio ${ratio.toFixed(2)}× (target ≤ ${TARGET}×: ${ratio <= TARGET ? 'met' : 'NOT met'})`);
  console.log('  s from the first request, per service: queued → build started → roll-out started → SUCCEEDED');
  console.log(`    deployProject  ${timeline(deployProject)}`);
  console.log(`    by hand        ${timeline(byHand)}`);
};
