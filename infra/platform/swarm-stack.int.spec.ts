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

const runningTask = (service: string) =>
  docker('a', `service ps ${stack}_${service} --filter desired-state=running --format '{{.Node}} {{.CurrentState}}'`);
const containerOf = (service: string) => docker('a', `ps -q --filter label=com.docker.swarm.service.name=${stack}_${service}`);

describe('the control plane as a Swarm stack, on two scratch nodes', () => {
  const figures: string[] = [];

  afterAll(() => {
    console.log(figures.join('\n'));
    const down = sh(`bash ${scripts}/second-node.sh down`);
    if (down.status !== 0) throw new Error(`second-node.sh down failed, so something is left behind:\n${down.out}`);
  });

  it('deploys, comes back from a killed process and from a restarted dockerd, and builds only on the build node', async () => {
    must(`bash ${scripts}/second-node.sh up`);
    docker('a', 'node update --label-add slipway.control=true slmn-a');

    let t0 = Date.now();
    const built = must(`bash ${scripts}/stack.sh build`, 600_000);
    figures.push(`build + push: ${(Date.now() - t0) / 1000} s`, ...built.split('\n').filter((l) => /MB|pushed/.test(l)));

    t0 = Date.now();
    must(`bash ${scripts}/stack.sh deploy`, 400_000);
    const ready = await untilReady(180_000);
    figures.push(`deploy → every part ready: ${(Date.now() - t0) / 1000} s`);
    expect(ready.seconds).toBeGreaterThanOrEqual(0);

    // Pinned: the control plane on the control node, the build service on the build node only.
    expect(runningTask('slipway')).toMatch(/^slmn-a Running/);
    expect(runningTask('slipway-build')).toMatch(/^slmn-b Running/);
    const policy = JSON.parse(docker('a', `service inspect ${stack}_slipway --format '{{json .Spec.TaskTemplate.RestartPolicy}}'`));
    expect(policy).toMatchObject({ Condition: 'any' });

    // kill -9 of the control plane's process: Swarm starts a new task.
    const before = containerOf('slipway');
    const pid = docker('a', `inspect --format '{{.State.Pid}}' ${before}`);
    t0 = Date.now();
    must(`kill -KILL ${pid}`);
    await sleep(500);
    const afterKill = await untilReady(120_000);
    figures.push(
      `kill -9 of the control plane → ready again: ${afterKill.seconds.toFixed(1)} s; /health requests without a ready gateway: ${afterKill.failed} of ${afterKill.requests}`,
    );
    expect(containerOf('slipway')).not.toBe(before);

    // node a's dockerd restarts (what a reboot or a Docker upgrade does): the stack comes back.
    const dockerdPid = readFileSync(`${nodeDir}/a/docker.pid`, 'utf8').trim();
    t0 = Date.now();
    must(`kill -TERM ${dockerdPid}; for i in $(seq 150); do kill -0 ${dockerdPid} 2>/dev/null || exit 0; sleep 0.2; done; exit 1`);
    const stopped = (Date.now() - t0) / 1000;
    must(`bash ${scripts}/second-node.sh up`);
    const afterRestart = await untilReady(240_000);
    figures.push(
      `dockerd of node a stopped (${stopped.toFixed(1)} s) and started again → every part ready: ${((Date.now() - t0) / 1000).toFixed(1)} s after the stop began; /health requests without a ready gateway: ${afterRestart.failed} of ${afterRestart.requests}`,
    );
    expect(runningTask('slipway')).toMatch(/^slmn-a Running/);
    expect(runningTask('slipway-build')).toMatch(/^slmn-b Running/);
  }, 900_000);
});
