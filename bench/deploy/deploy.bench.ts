/**
 * bench/deploy — the deploy pipeline's figures (issue: deploy pipeline, benchmark):
 *   1. deployService → SUCCEEDED for a reference app, split by phase (queue, clone, build, push,
 *      roll-out, route), next to the same steps done by hand in the same run (git clone, docker
 *      build, docker push, docker service update, wait until healthy); medians of ROUNDS
 *   2. a redeploy of unchanged source, and a rollback (targets ≤ 10 s each)
 *   3. requests failed during a redeploy, of ≥ 2,000 sent at ≥ 100/s (target 0)
 *   4. deployProject of db ← api ← web against deployService of each in order by hand, alternated,
 *      medians of BENCH_PROJECT_RUNS (default 5); target ≤ 1.15× (project-deploy.ts)
 * It starts its own Slipway processes (as the tests do) against the infrastructure of infra/scripts/up.sh.
 * Run: npm run bench:deploy   (BENCH_ROUNDS, BENCH_PROJECT_RUNS; BENCH_ONLY=project runs only line 4)
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { platformServices } from '@slipway/proto';
import {
  GitRepoFixture,
  GraphqlTestClient,
  edgeRoots,
  HttpsTestClient,
  infraEnv,
  nodeApp,
  nodeDockerfile,
  startPlatformProcess, startPlatformProcesses,
  waitUntil,
  type PlatformProcess,
} from '@slipway/testing';
import { registryAuth } from '@slipway/secret-box';
import { benchProjectDeploy, printProjectDeploy } from './project-deploy';

const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 3);
const FIELDS = 'id status url imageRef error createdAt buildStartedAt rolloutStartedAt finishedAt';
type Deployment = { id: string; status: string; url: string; imageRef: string; error: string | null; createdAt: string; finishedAt: string };
type Line = { timestamp: string; message: string };

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
const s = (ms: number) => `${(ms / 1000).toFixed(2)} s`;
const sh = (cmd: string, args: string[], cwd?: string) => execFileSync(cmd, args, { cwd, encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });

const main = async () => {
  const processes: PlatformProcess[] = await startPlatformProcesses(platformServices.map((s) => s.name));
  const gateway = await startPlatformProcess('gateway', { waitForReady: false });
  processes.push(gateway);
  await waitUntil('the platform', async () => (await gateway.health()).status === 200, 60_000).catch(async (err: Error) => {
    const report = JSON.stringify((await gateway.health().catch(() => undefined))?.body);
    await Promise.all(processes.map((p) => p.stop()));
    throw new Error(`${err.message}: ${report}\n--- gateway ---\n${gateway.output().slice(-3000)}`);
  });
  const api = new GraphqlTestClient(gateway.port);
  await api.signInAsOwner();
  const https = new HttpsTestClient(await edgeRoots());
  const repo = new GitRepoFixture();
  const project = `bench-${Date.now().toString(36)}`;
  const registry = infraEnv().REGISTRY;
  const manual = `${project}-manual`;

  const deploy = async (mutation: string, variables: Record<string, unknown>) => {
    const t0 = performance.now();
    const first = Object.values(await api.request<Record<string, Deployment>>(mutation, variables))[0];
    let latest = first;
    const lines: Line[] = [];
    const stop = api.subscribe<{ deploymentUpdated: Deployment }>(`subscription($id: ID!) { deploymentUpdated(deploymentId: $id) { ${FIELDS} } }`, { id: first.id }, (v) => (latest = v.deploymentUpdated));
    const stopLogs = api.subscribe<{ deploymentLogs: Line }>(`subscription($id: ID!) { deploymentLogs(deploymentId: $id) { timestamp message } }`, { id: first.id }, (v) => lines.push(v.deploymentLogs));
    await waitUntil('the deployment', () => ['SUCCEEDED', 'FAILED'].includes(latest.status), 300_000, 50);
    const wallMs = performance.now() - t0;
    stop();
    await new Promise((r) => setTimeout(r, 300));
    stopLogs();
    if (latest.status !== 'SUCCEEDED') throw new Error(`deployment ${latest.id} ${latest.status}: ${latest.error}`);
    return { deployment: latest, lines, wallMs };
  };

  let projectId: string | undefined;
  try {
    if (process.env.BENCH_ONLY === 'project') return printProjectDeploy(await benchProjectDeploy(api));
    repo.commit({ ...nodeApp('r0'), Dockerfile: nodeDockerfile }, 'r0');
    projectId = (await api.request<{ createProject: { id: string } }>(`mutation { createProject(input: { name: "${project}" }) { id } }`)).createProject.id;
    const serviceId = (
      await api.request<{ createService: { id: string } }>(`mutation($i: CreateServiceInput!) { createService(input: $i) { id } }`, {
        i: { projectId, name: 'web', source: { git: { url: repo.url, ref: 'main' } }, port: 3000, healthCheckPath: '/healthz' },
      })
    ).createService.id;
    const deployService = () => deploy(`mutation($id: ID!) { deployService(serviceId: $id) { id status } }`, { id: serviceId });
    const first = await deployService(); // creates the Swarm service and the route (not measured)

    // The by-hand baseline runs the same app as its own Swarm service, with the same health check and
    // update policy as the platform's service (read from it, so the two cannot drift apart).
    const platformService = JSON.parse(sh('docker', ['service', 'inspect', `${project}-web`]))[0].Spec;
    const monitorSeconds = platformService.UpdateConfig.Monitor / 1e9;
    const manualImage = `${registry}/${project}/manual`;
    // The registry takes no anonymous push: the by-hand path signs in as the build service, in a
    // Docker config of the bench's own (DOCKER_CONFIG), and Swarm gets the sign-in with the service.
    const dockerConfig = (process.env.DOCKER_CONFIG = mkdtempSync(join(tmpdir(), 'slipway-bench-docker-')));
    process.once('exit', () => rmSync(dockerConfig, { recursive: true, force: true }));
    execFileSync('docker', ['login', '-u', 'build', '--password-stdin', registry], { input: registryAuth('build', registry).password ?? '', stdio: ['pipe', 'ignore', 'pipe'] });
    sh('docker', ['tag', first.deployment.imageRef, `${manualImage}:r0`]);
    sh('docker', ['push', '-q', `${manualImage}:r0`]);
    sh('docker', [
      'service', 'create', '-q', '--with-registry-auth', '--name', manual, '--endpoint-mode', 'dnsrr', '--replicas', '1',
      '--health-cmd', 'node -e "fetch(\'http://127.0.0.1:3000/healthz\').then(r=>process.exit(r.ok?0:1),()=>process.exit(1))"',
      '--health-interval', '2s', '--health-retries', '3', '--health-start-period', '5s',
      '--update-order', 'start-first', '--update-failure-action', 'rollback', '--update-monitor', `${monitorSeconds}s`, `${manualImage}:r0`,
    ]);

    const phases: Record<string, number[]> = { queue: [], clone: [], build: [], push: [], 'roll-out': [], route: [], total: [] };
    const byHand: Record<string, number[]> = { clone: [], build: [], push: [], 'service update + healthy': [], total: [] };
    for (let round = 1; round <= ROUNDS; round++) {
      repo.commit(nodeApp(`r${round}`), `round ${round}`);
      const { deployment, lines, wallMs } = await deployService();
      const at = (pattern: RegExp) => Date.parse(lines.find((l) => pattern.test(l.message))?.timestamp ?? 'NaN');
      const marks = [
        Date.parse(deployment.createdAt),
        at(/^Build .* started$/),
        at(/^Checked out /),
        at(/^Image built/),
        at(/^Pushed /),
        at(/^New tasks are running and healthy/),
        Date.parse(deployment.finishedAt),
      ];
      ['queue', 'clone', 'build', 'push', 'roll-out', 'route'].forEach((p, i) => phases[p].push(marks[i + 1] - marks[i]));
      phases.total.push(wallMs);

      repo.commit(nodeApp(`r${round}-manual`), `round ${round} by hand`);
      const dir = mkdtempSync(join(tmpdir(), 'bench-clone-'));
      const t = [performance.now()];
      sh('git', ['clone', '-q', '--depth', '1', '--branch', 'main', repo.url, dir]);
      t.push(performance.now());
      sh('docker', ['build', '-q', '-t', `${manualImage}:r${round}`, dir]);
      t.push(performance.now());
      sh('docker', ['push', '-q', `${manualImage}:r${round}`]);
      t.push(performance.now());
      sh('docker', ['service', 'update', '-q', '--with-registry-auth', '--image', `${manualImage}:r${round}`, manual]); // waits until converged
      t.push(performance.now());
      rmSync(dir, { recursive: true, force: true });
      ['clone', 'build', 'push', 'service update + healthy'].forEach((p, i) => byHand[p].push(t[i + 1] - t[i]));
      byHand.total.push(t[4] - t[0]);
      console.log(`round ${round}: platform ${s(wallMs)}, by hand ${s(t[4] - t[0])}`);
    }

    const unchanged = await deployService();
    const rollback = await deploy(`mutation($s: ID!, $to: ID!) { rollbackService(serviceId: $s, toDeploymentId: $to) { id status } }`, { s: serviceId, to: first.deployment.id });

    repo.commit(nodeApp('under-load'), 'under load');
    const load = https.load(first.deployment.url, 110, 100_000);
    const underLoad = await deployService();
    await waitUntil('2,000 requests', () => load.sentSoFar() >= 2_000, 60_000);
    const traffic = await load.stop();
    const projectDeploy = await benchProjectDeploy(api);

    console.log(`\ndeploy bench: ${ROUNDS} rounds, a Node app with a Dockerfile, medians`);
    console.log('  platform (deployService → SUCCEEDED)      by hand');
    for (const p of ['queue', 'clone', 'build', 'push', 'roll-out', 'route']) {
      const hand = p === 'roll-out' ? byHand['service update + healthy'] : byHand[p];
      console.log(`  ${p.padEnd(10)} ${s(median(phases[p])).padStart(9)}                    ${hand ? s(median(hand)).padStart(9) : '        —'}`);
    }
    const overhead = (median(phases.total) / median(byHand.total) - 1) * 100;
    console.log(`  total      ${s(median(phases.total)).padStart(9)}                    ${s(median(byHand.total)).padStart(9)}   overhead ${overhead.toFixed(1)}% (target ≤ 15%)`);
    console.log(`\n  redeploy of unchanged source: ${s(unchanged.wallMs)} (target ≤ 10 s)`);
    console.log(`  rollback:                     ${s(rollback.wallMs)} (target ≤ 10 s)`);
    console.log(`  during a redeploy (${s(underLoad.wallMs)}): ${traffic.sent} requests at ${traffic.ratePerSecond.toFixed(0)}/s, ${traffic.failed} failed (target 0 of ≥ 2,000 at ≥ 100/s)`);
    printProjectDeploy(projectDeploy);
  } finally {
    // Nothing of the bench stays behind: its project (Swarm services, network, routes, images) goes with it.
    if (projectId) {
      const label = `label=slipway.project=${projectId}`;
      await api
        .request('mutation($id: ID!) { deleteProject(id: $id, deleteVolumes: true) }', { id: projectId })
        .then(() => waitUntil('the bench project gone from Swarm', async () => sh('docker', ['service', 'ls', '-q', '--filter', label]).trim() === '', 90_000, 500))
        .catch((err: Error) => console.error(`could not delete the bench project ${projectId}: ${err.message}`));
    }
    await api.close();
    https.close();
    try {
      sh('docker', ['service', 'rm', manual]);
    } catch {
      // never created
    }
    await Promise.all(processes.map((p) => p.stop()));
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
