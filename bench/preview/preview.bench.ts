/**
 * bench/preview (issue 12): a three-service project, db ← api ← web, web built from a Gitea
 * repository, db and api from an image.
 *   (a) preview: from the pull request opened (Gitea's own signed webhook) until every preview URL
 *       serves, web showing the pull request's commit; then from the pull request closed until
 *       nothing of the preview is left (Swarm services, network, volumes, routes);
 *   (b) by hand: the same builds and roll-outs in a second project: deployService(db), wait until
 *       SUCCEEDED, api, wait, web (a new commit of its branch), wait, until its URL serves.
 * Each run pushes a new commit, so web is built every time in (a) and (b). Medians of
 * BENCH_PREVIEW_RUNS (default 3), (a) and (b) alternated. Targets: (a) ≤ 1.2 × (b), teardown ≤ 10 s.
 * It starts its own Slipway processes (as the tests do) and Gitea. Run: npm run bench:preview
 */
import { readFileSync } from 'node:fs';
import { performance } from 'node:perf_hooks';
import Dockerode from 'dockerode';
import { buildTestApp, caddyAdminGet, GiteaFixture, infraEnv, nodeApp, nodeDockerfile, startSignedInPlatform, waitUntil } from '@slipway/testing';

const RUNS = Number(process.env.BENCH_PREVIEW_RUNS ?? 3);
const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
const s = (ms: number) => `${(ms / 1000).toFixed(2)} s`;
const FINAL = ['SUCCEEDED', 'FAILED', 'CANCELLED', 'BLOCKED'];
const web = (version: string) => ({ ...nodeApp(version), Dockerfile: nodeDockerfile });

const main = async () => {
  const docker = new Dockerode();
  const env = infraEnv();
  const platform = await startSignedInPlatform();
  const gitea = await GiteaFixture.start();
  const gql = <T>(q: string, v: Record<string, unknown> = {}) => platform.api.request<T>(q, v);
  const settings = await gql<{ instanceSettings: { allowedHttpGitHosts: string[] | null; baseDomain: string } }>('{ instanceSettings { allowedHttpGitHosts baseDomain } }');
  const { baseDomain } = settings.instanceSettings;
  const allowed = settings.instanceSettings.allowedHttpGitHosts;
  await gql('mutation($h: [String!]) { setInstanceSettings(allowedHttpGitHosts: $h) { allowedHttpGitHosts } }', { h: [...new Set([...(allowed ?? []), new URL(gitea.url).hostname])] });
  const repo = await gitea.createRepository('bench-preview');
  await gitea.push(repo, 'main', web('main'), 'web');
  const image = await buildTestApp(docker, { registry: env.REGISTRY, repository: 'slipway-bench/preview-app', version: 'v1', healthy: true });
  const stamp = Date.now().toString(36);
  const projects: string[] = [];
  /** HTTPS 200 from the URL, and the text in the body when one is given. */
  const serves = async (url: string, text = '') => {
    const res = await platform.https.get(url, 3_000).catch(() => ({ status: 0, body: '' }));
    return res.status === 200 && String(res.body).includes(text);
  };
  /** Deleted, and nothing of it left in Swarm (the deploy service removes it after the command answers). */
  const deleteProject = async (projectId: string) => {
    await gql('mutation($id: ID!) { deleteProject(id: $id, deleteVolumes: true) }', { id: projectId });
    const label = [`slipway.project=${projectId}`];
    await waitUntil(`project ${projectId} gone from Swarm`, async () => (await docker.listServices({ filters: { label } })).length + (await docker.listNetworks({ filters: { label } })).length === 0, 120_000, 250);
    projects.splice(projects.indexOf(projectId), 1);
  };
  const project = async (name: string, branch: string) => {
    const projectId = await platform.createProject(name);
    projects.push(projectId);
    const ids: Record<string, string> = {};
    const create = async (service: string, source: object, dependsOn: string[]) =>
      (ids[service] = (
        await gql<{ createService: { id: string } }>('mutation($i: CreateServiceInput!) { createService(input: $i) { id } }', {
          i: { projectId, name: service, port: 3000, healthCheckPath: '/healthz', cpu: 0.1, memoryMb: 128, source, dependsOn },
        })
      ).createService.id);
    await create('db', { image: { ref: image } }, []);
    await create('api', { image: { ref: image } }, [ids.db]);
    await create('web', { git: { url: repo.cloneUrl, ref: branch, token: gitea.token } }, [ids.api]);
    return { projectId, ids };
  };
  const deployed = async (id: string) => {
    await waitUntil(`deployment ${id}`, async () => {
      const { deployment } = await gql<{ deployment: { status: string; error: string | null } }>('query($id: ID!) { deployment(id: $id) { status error } }', { id });
      if (FINAL.includes(deployment.status) && deployment.status !== 'SUCCEEDED') throw new Error(`deployment ${id} ${deployment.status}: ${deployment.error}`);
      return deployment.status === 'SUCCEEDED';
    }, 300_000, 250);
  };
  const nothingLeft = async (projectName: string, previewId: string, number: number) => {
    const label = [`slipway.preview=${previewId}`];
    const services = await docker.listServices({ filters: { label } });
    const networks = await docker.listNetworks({ filters: { name: [`slipway-${projectName}-pr-${number}`] } });
    const config = await caddyAdminGet(readFileSync(env.CADDY_ADMIN_URL_FILE, 'utf8').trim(), '/config/');
    return !services.length && !networks.length && !config.includes(`-pr-${number}-${projectName}.`);
  };

  const results = { preview: [] as number[], teardown: [] as number[], byHand: [] as number[] };
  try {
    // (a)'s project: deployed once (not timed), its webhook registered; each run opens a pull request.
    const aName = `bp-${stamp}`;
    const a = await project(aName, 'main');
    const { deployProject } = await gql<{ deployProject: { id: string }[] }>('mutation($p: ID!) { deployProject(projectId: $p) { id } }', { p: a.projectId });
    for (const d of deployProject) await deployed(d.id);
    const { rotateWebhookSecret: secret } = await gql<{ rotateWebhookSecret: string }>('mutation($p: ID!) { rotateWebhookSecret(projectId: $p) }', { p: a.projectId });
    await gitea.addWebhook(repo, { url: `http://127.0.0.1:${platform.gateway.port}/webhooks/gitea`, secret, events: ['pull_request'] });

    for (let run = 1; run <= RUNS; run++) {
      const branch = `feature-${run}`;
      const version = `${stamp}-${run}a`;
      await gitea.createBranch(repo, branch);
      await gitea.push(repo, branch, web(version), `run ${run}`, branch);
      let t0 = performance.now();
      const { number } = await gitea.openPullRequest(repo, { head: branch, title: `bench run ${run}` });
      const url = (service: string) => `https://${service}-pr-${number}-${aName}.${baseDomain}/`;
      await waitUntil('every preview URL to serve', async () => (await serves(url('web'), version)) && (await serves(url('api'))) && (await serves(url('db'))), 600_000, 250);
      results.preview.push(performance.now() - t0);
      t0 = performance.now();
      await gitea.closePullRequest(repo, number);
      await waitUntil('the preview to be gone', () => nothingLeft(aName, `${a.projectId}-pr-${number}`, number), 120_000, 100);
      results.teardown.push(performance.now() - t0);

      // (b) the same by hand, in a fresh project whose web tracks a branch with a new commit.
      const handBranch = `hand-${run}`;
      const handVersion = `${stamp}-${run}b`;
      await gitea.createBranch(repo, handBranch);
      await gitea.push(repo, handBranch, web(handVersion), `by hand ${run}`, handBranch);
      const bName = `bh-${stamp}-${run}`;
      const b = await project(bName, handBranch);
      t0 = performance.now();
      for (const service of ['db', 'api', 'web']) {
        const { deployService } = await gql<{ deployService: { id: string } }>('mutation($id: ID!) { deployService(serviceId: $id) { id } }', { id: b.ids[service] });
        await deployed(deployService.id);
      }
      await waitUntil('web to serve', () => serves(`https://web-${bName}.${baseDomain}/`, handVersion), 120_000, 250);
      results.byHand.push(performance.now() - t0);
      await deleteProject(b.projectId);
      console.log(`run ${run}: preview ${s(results.preview.at(-1)!)}, teardown ${s(results.teardown.at(-1)!)}, by hand ${s(results.byHand.at(-1)!)}`);
    }
  } finally {
    for (const projectId of [...projects]) await deleteProject(projectId).catch((err: Error) => console.error(`could not delete project ${projectId}: ${err.message}`));
    await gql('mutation($h: [String!]) { setInstanceSettings(allowedHttpGitHosts: $h) { allowedHttpGitHosts } }', { h: allowed }).catch(() => undefined);
    await gitea.deleteRepository(repo).catch(() => undefined);
    await gitea.close();
    await platform.stop();
  }
  const p = median(results.preview);
  const h = median(results.byHand);
  const t = median(results.teardown);
  console.log(`\npreview bench: ${RUNS} runs, db ← api ← web (web from Gitea), medians`);
  console.log(`  pull request opened → every preview URL serves   ${s(p)}`);
  console.log(`  the same builds and roll-outs by hand            ${s(h)}   ratio ${(p / h).toFixed(2)}× (target ≤ 1.2×: ${p / h <= 1.2 ? 'met' : 'NOT met'})`);
  console.log(`  pull request closed → nothing left               ${s(t)}   (target ≤ 10 s: ${t <= 10_000 ? 'met' : 'NOT met'})`);
};

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
