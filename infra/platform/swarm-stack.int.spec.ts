import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';

/**
 * The control plane as a Swarm stack (issue 14, docs/swarm-stack.md), on the two scratch Docker
 * Engines of infra/scripts/second-node.sh (node a: manager, labelled slipway.control=true; node b:
 * worker, labelled slipway.build=true), never on the platform's own dockerd: `stack.sh build`
 * builds the images on a and pushes them to the scratch registry, `stack.sh deploy` deploys the
 * stack; then the control plane's process is killed (-9) and node a's dockerd is restarted, and
 * Swarm must bring everything back with no one at a terminal. Each step's time, and how many of
 * the /health requests made meanwhile got no ready gateway, are printed.
 */
const scripts = join(__dirname, '..', 'scripts');
const nodeDir = '/tmp/slmn'; // second-node.sh's directory: `down` removes all of it
const sock = (node: 'a' | 'b') => `${nodeDir}/${node}/docker.sock`;
const stack = 'slipway';
const env = {
  ...process.env,
  DOCKER_HOST: `unix://${sock('a')}`,
  SLIPWAY_DATA_DIR: `${nodeDir}/stack-data`, // credentials of this test's own, not the platform's
  SLIPWAY_STACK_NAME: stack,
  SLIPWAY_STACK_REGISTRY: '10.213.0.1:5000', // second-node.sh's registry: both engines pull from it
  SLIPWAY_APPS_REGISTRY: '10.213.0.1:5000',
  SLIPWAY_FERRETDB_BIN: '/var/lib/slipway/bin/ferretdb',
  // the two engines share this machine's filesystem: each node's tasks get that node's socket
  SLIPWAY_CONTROL_DOCKER_SOCKET: sock('a'),
  SLIPWAY_BUILD_DOCKER_SOCKET: sock('b'),
  SLIPWAY_REGISTRY_PORT: '5001', // 10.213.0.1:5000 is the scratch registry's
  SLIPWAY_HTTP_PORT: '8080',
  SLIPWAY_HTTPS_PORT: '8443',
};

const sh = (command: string, timeout = 300_000) => {
  const r = spawnSync('bash', ['-c', command], { encoding: 'utf8', timeout, env });
  return { status: r.status, out: `${r.stdout ?? ''}${r.stderr ?? ''}` };
};
const must = (command: string, timeout?: number) => {
  const r = sh(command, timeout);
  if (r.status !== 0) throw new Error(`${command} failed (${r.status}):\n${r.out.slice(-3000)}`);
  return r.out.trim();
};
const docker = (node: 'a' | 'b', args: string) => must(`timeout 60 docker -H unix://${sock(node)} ${args}`);
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** The gateway's /health on node a's published port, from inside node a's network namespace. */
const health = (): { status?: string; services?: { name: string; status: string }[] } | undefined => {
  const r = sh('nsenter --net=/run/netns/slmn-a curl -s --max-time 2 http://127.0.0.1:4000/health', 5_000);
  try {
    return JSON.parse(r.out);
  } catch {
    return undefined;
  }
};

/** Polls /health until every part is ready: how long it took, and how many requests found no ready gateway. */
const untilReady = async (timeoutMs: number) => {
  const start = Date.now();
  let requests = 0;
  let failed = 0;
  for (;;) {
    const h = health();
    requests++;
    if (h?.status === 'ready') return { seconds: (Date.now() - start) / 1000, requests, failed };
    if (!h?.status) failed++;
    if (Date.now() - start > timeoutMs) {
      const tasks = sh(`docker stack ps ${stack} --no-trunc --format '{{.Name}} {{.Node}} {{.CurrentState}} {{.Error}}' | head -20`).out;
      throw new Error(`not ready after ${timeoutMs / 1000} s; last /health: ${JSON.stringify(h)}\ntasks:\n${tasks}`);
    }
    await sleep(250);
  }
};

/** The node of every task the service ever had (restarted ones too). */
const nodesOf = (service: string) => docker('a', `service ps ${stack}_${service} --format '{{.Node}}'`).split('\n').filter(Boolean);
const runningTask = (service: string) =>
  docker('a', `service ps ${stack}_${service} --filter desired-state=running --format '{{.Node}} {{.CurrentState}}'`);
const containerOf = (service: string) => docker('a', `ps -q --filter label=com.docker.swarm.service.name=${stack}_${service}`);

/** The stacked platform's GraphQL API, from inside node a's network namespace. */
const gql = <T>(token: string | undefined, query: string, variables: Record<string, unknown> = {}): T => {
  const auth = token ? `-H 'authorization: Bearer ${token}'` : '';
  const r = spawnSync('bash', ['-c', `nsenter --net=/run/netns/slmn-a curl -s --max-time 20 -H 'content-type: application/json' ${auth} -d @- http://127.0.0.1:4000/graphql`], {
    input: JSON.stringify({ query, variables }),
    encoding: 'utf8',
  });
  const body = JSON.parse(r.stdout || '{}') as { data?: T; errors?: { message: string }[] };
  if (!body.data || body.errors?.length) throw new Error(`GraphQL: ${JSON.stringify(body.errors ?? r.stderr)}`);
  return body.data;
};
const deploymentStatus = (token: string, id: string) =>
  gql<{ deployment: { status: string } }>(token, 'query($id: ID!) { deployment(id: $id) { status } }', { id }).deployment.status;
const untilDeploymentEnds = async (token: string, id: string, timeoutMs: number) => {
  const start = Date.now();
  for (;;) {
    const status = deploymentStatus(token, id);
    if (['SUCCEEDED', 'FAILED', 'CANCELLED', 'BLOCKED'].includes(status)) return status;
    if (Date.now() - start > timeoutMs) throw new Error(`deployment ${id} still ${status} after ${timeoutMs / 1000} s`);
    await sleep(1000);
  }
};

/** Requests to the app through the stack's Caddy (https, port 8443 on node a), one every 50 ms, in the background. */
const appTraffic = (host: string) => {
  const log = `${nodeDir}/traffic-${Date.now()}.log`;
  const stop = `${log}.stop`;
  const loop = `while [ ! -e ${stop} ]; do c=$(curl -sk -o /dev/null -w '%{http_code}' --max-time 2 --resolve ${host}:8443:127.0.0.1 https://${host}:8443/); echo "$(date +%s%3N) $c"; sleep 0.05; done >${log}`;
  const child = spawnSync('bash', ['-c', `nsenter --net=/run/netns/slmn-a setsid bash -c '${loop.replace(/'/g, `'\\''`)}' </dev/null >/dev/null 2>&1 & echo $!`], { encoding: 'utf8' });
  const pid = Number(child.stdout.trim());
  return {
    /** Stops the loop; the requests made, those that were not a 200, and the span from the first failure to the last. */
    stop: async () => {
      must(`touch ${stop}`);
      for (let i = 0; i < 50 && sh(`kill -0 ${pid}`).status === 0; i++) await sleep(100);
      const lines = readFileSync(log, 'utf8').trim().split('\n').filter(Boolean).map((l) => l.split(' '));
      const failed = lines.filter(([, code]) => code !== '200').map(([t]) => Number(t));
      const span = failed.length ? (failed[failed.length - 1] - failed[0]) / 1000 : 0;
      return { requests: lines.length, failed: failed.length, span };
    },
  };
};

describe('the control plane as a Swarm stack, on two scratch nodes', () => {
  const figures: string[] = [];

  afterAll(() => {
    console.log(figures.join('\n'));
    const down = sh(`bash ${scripts}/second-node.sh down`);
    if (down.status !== 0) throw new Error(`second-node.sh down failed, so something is left behind:\n${down.out}`);
  });

  it('deploys, serves an app it deployed, comes back from a killed process and from a restarted dockerd, and builds only on the build node', async () => {
    must(`bash ${scripts}/second-node.sh up`);
    docker('a', 'node update --label-add slipway.control=true slmn-a');

    let t0 = Date.now();
    const built = must(`bash ${scripts}/stack.sh build`, 600_000);
    figures.push(`build + push: ${(Date.now() - t0) / 1000} s`, ...built.split('\n').filter((l) => /MB|pushed/.test(l)));

    t0 = Date.now();
    must(`bash ${scripts}/stack.sh deploy`, 400_000);
    await untilReady(180_000);
    figures.push(`deploy → every part ready: ${(Date.now() - t0) / 1000} s`);
    expect(sh(`bash ${scripts}/stack.sh status`).out).toMatch(/control plane: healthy/);

    // Pinned: the control plane on the control node, the build service on the build node only.
    expect(runningTask('slipway')).toMatch(/^slmn-a (Running|Starting)/);
    expect(runningTask('slipway-build')).toMatch(/^slmn-b (Running|Starting)/);
    const policy = JSON.parse(docker('a', `service inspect ${stack}_slipway --format '{{json .Spec.TaskTemplate.RestartPolicy}}'`));
    expect(policy).toMatchObject({ Condition: 'any' });

    // An app deployed through the stacked platform, from an image in the registry, served by the stack's Caddy.
    // Node b takes no new task from here on (its build task runs on): the routing service joins Caddy's
    // running container to a project's network, which Docker 20.10 refuses ("not found") until a task
    // of that network runs on Caddy's node; an app with its only task on b is not served (docs/swarm-stack.md).
    docker('a', 'node update --availability pause slmn-b');
    const token = gql<{ signUp: { token: string } }>(undefined, 'mutation($e: String!, $p: String!) { signUp(email: $e, password: $p) { token } }', {
      e: 'owner@slipway.test',
      p: 'stack-owner-password-1',
    }).signUp.token;
    const image = '10.213.0.1:5000/slmn/stack-app:1';
    must(
      `d=$(mktemp -d) && printf 'FROM 10.213.0.1:5000/slmn/tools:1\\nRUN mkdir -p /www && echo ok >/www/healthz && echo served >/www/index.html\\nCMD ["httpd", "-f", "-p", "3000", "-h", "/www"]\\n' >$d/Dockerfile && DOCKER_BUILDKIT=0 docker build -q -t ${image} $d && docker push -q ${image}; rc=$?; rm -rf $d; exit $rc`,
    );
    const projectId = gql<{ createProject: { id: string } }>(token, 'mutation($n: String!) { createProject(input: { name: $n }) { id } }', { n: 'stacked' }).createProject.id;
    const serviceId = gql<{ createService: { id: string } }>(token, 'mutation($i: CreateServiceInput!) { createService(input: $i) { id } }', {
      i: { projectId, name: 'web', port: 3000, healthCheckPath: '/healthz', source: { image: { ref: image } } },
    }).createService.id;
    const deploy = () => gql<{ deployService: { id: string } }>(token, 'mutation($s: ID!) { deployService(serviceId: $s) { id } }', { s: serviceId }).deployService.id;
    t0 = Date.now();
    expect(await untilDeploymentEnds(token, deploy(), 180_000)).toBe('SUCCEEDED');
    const host = 'web-stacked.localhost';
    const served = () => sh(`nsenter --net=/run/netns/slmn-a curl -sk --max-time 2 --resolve ${host}:8443:127.0.0.1 https://${host}:8443/`, 5_000).out;
    const untilServed = async (timeoutMs: number) => {
      for (const start = Date.now(); Date.now() - start < timeoutMs && served() !== 'served\n'; ) await sleep(500);
    };
    await untilServed(60_000);
    expect(served()).toBe('served\n');
    figures.push(`app deployed through the stack and served by its Caddy in ${(Date.now() - t0) / 1000} s (task on ${docker('a', "service ps stacked-web --filter desired-state=running --format '{{.Node}}'")})`);

    // kill -9 of the control plane's process, under traffic: Swarm starts a new task; the app is not touched.
    let traffic = appTraffic(host);
    await sleep(2000);
    const before = containerOf('slipway');
    const pid = docker('a', `inspect --format '{{.State.Pid}}' ${before}`);
    must(`kill -KILL ${pid}`);
    await sleep(500);
    const afterKill = await untilReady(120_000);
    await sleep(2000);
    let app = await traffic.stop();
    figures.push(
      `kill -9 of the control plane → every part ready again: ${(afterKill.seconds + 0.5).toFixed(1)} s (/health without a ready gateway: ${afterKill.failed} of ${afterKill.requests}); app requests failed: ${app.failed} of ${app.requests}`,
    );
    expect(containerOf('slipway')).not.toBe(before);
    expect(app.failed).toBe(0);

    // A deployment asked for, then node a's dockerd restarts (an upgrade, a reboot) under traffic:
    // the stack comes back, the deployment ends, the app is served again.
    traffic = appTraffic(host);
    await sleep(2000);
    const deploymentId = deploy();
    await sleep(1000);
    const dockerdPid = readFileSync(`${nodeDir}/a/docker.pid`, 'utf8').trim();
    t0 = Date.now();
    must(`kill -TERM ${dockerdPid}; for i in $(seq 150); do kill -0 ${dockerdPid} 2>/dev/null || exit 0; sleep 0.2; done; exit 1`);
    const stopped = (Date.now() - t0) / 1000;
    must(`bash ${scripts}/second-node.sh up`);
    const engineUp = (Date.now() - t0) / 1000;
    const afterRestart = await untilReady(240_000);
    const readyAt = (Date.now() - t0) / 1000;
    const ended = await untilDeploymentEnds(token, deploymentId, 240_000);
    await untilServed(120_000);
    await sleep(2000);
    app = await traffic.stop();
    figures.push(
      `dockerd of node a restarted during a deployment: stopped in ${stopped.toFixed(1)} s, engine back at ${engineUp.toFixed(1)} s, every part ready at ${readyAt.toFixed(1)} s (/health without a ready gateway: ${afterRestart.failed} of ${afterRestart.requests}); the deployment ended ${ended}; app requests failed: ${app.failed} of ${app.requests}, over ${app.span.toFixed(1)} s`,
    );
    expect(['SUCCEEDED', 'FAILED', 'CANCELLED']).toContain(ended);
    expect(served()).toBe('served\n');
    expect(runningTask('slipway')).toMatch(/^slmn-a (Running|Starting)/);
    const buildNodes = nodesOf('slipway-build');
    figures.push(`build service tasks, every one since the deploy: ${buildNodes.length}, on ${[...new Set(buildNodes)].join(', ')}`);
    expect(new Set(buildNodes)).toEqual(new Set(['slmn-b']));

    // rm takes the stack's services away and keeps its data.
    must(`bash ${scripts}/stack.sh rm`, 120_000);
    expect(docker('a', `service ls --filter label=com.docker.stack.namespace=${stack} -q`)).toBe('');
    expect(docker('a', `volume ls -q --filter name=${stack}_nats-data`)).toBe(`${stack}_nats-data`);
  }, 900_000);
});
