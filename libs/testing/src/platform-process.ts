import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { createServer } from 'node:net';
import { join } from 'node:path';
import { infraEnv } from './infra-env';
import { refuseBesideRunningPlatform } from './platform-guard';

export const repoRoot = join(__dirname, '..', '..', '..');

export const waitUntil = async (what: string, check: () => boolean | Promise<boolean>, timeoutMs = 20_000, everyMs = 100) => {
  const until = Date.now() + timeoutMs;
  for (;;) {
    try {
      if (await check()) return;
    } catch {
      // not yet
    }
    if (Date.now() > until) throw new Error(`Timed out after ${timeoutMs} ms waiting for ${what}`);
    await new Promise((r) => setTimeout(r, everyMs));
  }
};

/** Every child still running: killed when this process exits, however it exits (a failed bench included). */
const children = new Set<ChildProcess>();
process.once('exit', () => {
  for (const child of children) child.kill('SIGKILL');
});

let compiled: Promise<void> | undefined;
/** The processes run compiled code (dist/): compile once per test run, so they run what is on disk now. */
const compileOnce = () =>
  (compiled ??= new Promise((resolve, reject) => {
    const result = spawnSync('node', [join(repoRoot, 'infra/platform/compile.cjs')], { encoding: 'utf8' });
    if (result.status === 0) resolve();
    else reject(new Error(`compile failed:\n${result.stderr}`));
  }));

export const freePort = (): Promise<number> =>
  new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as { port: number };
      server.close(() => resolve(port));
    });
  });

export interface PlatformProcess {
  name: string;
  pid: number;
  healthUrl: string;
  port: number;
  output(): string;
  health(): Promise<{ status: number; body: Record<string, unknown> }>;
  alive(): boolean;
  stop(): Promise<void>;
}

const servesGateway = (name: string) => name === 'all' || name.split(',').includes('gateway');

/**
 * Starts a Slipway service, the gateway, a list of them in one process (`gateway,build`) or all of
 * them in one (`all`, what `npm start` runs) the way `npm start` does (infra/platform/run-service.sh),
 * on a free port, against the infrastructure that infra/scripts/up.sh started.
 */
export const startPlatformProcess = async (
  name: string,
  options: { env?: Record<string, string>; waitForReady?: boolean } = {},
): Promise<PlatformProcess> => {
  refuseBesideRunningPlatform();
  await compileOnce();
  const port = await freePort();
  const env = infraEnv();
  const child: ChildProcess = spawn('bash', [join(repoRoot, 'infra/platform/run-service.sh'), name], {
    cwd: repoRoot,
    env: {
      ...process.env,
      NATS_URL: env.NATS_URL,
      MONGO_URL: env.MONGO_URL,
      // `all` or a list with the gateway: its port; otherwise the one health port of the service(s).
      ...(servesGateway(name) ? { GATEWAY_PORT: String(port) } : { HEALTH_PORT: String(port) }),
      // Tests share one Docker with other tests' leftovers: no scheduled clean-up unless a test asks for one.
      SLIPWAY_CLEANUP_EVERY_H: '0',
      // Nor a scheduled backup: it would read the shared instance and write into its backup directory.
      SLIPWAY_BACKUP_EVERY_H: '0',
      ...options.env,
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  child.stdout!.on('data', (d) => (output += d));
  child.stderr!.on('data', (d) => (output += d));
  let exited = false;
  children.add(child);
  const exit = new Promise<void>((resolve) => child.once('exit', () => ((exited = true), children.delete(child), resolve())));
  const healthUrl = `http://127.0.0.1:${port}/health`;
  const proc: PlatformProcess = {
    name,
    pid: child.pid!,
    port,
    healthUrl,
    output: () => output,
    alive: () => !exited,
    health: async () => {
      const res = await fetch(healthUrl, { signal: AbortSignal.timeout(3_000) });
      return { status: res.status, body: (await res.json()) as Record<string, unknown> };
    },
    stop: async () => {
      if (!exited) child.kill('SIGTERM');
      let timer: NodeJS.Timeout | undefined;
      await Promise.race([exit, new Promise((r) => (timer = setTimeout(r, 5_000)))]);
      clearTimeout(timer);
      if (!exited) child.kill('SIGKILL');
    },
  };
  if (options.waitForReady !== false) {
    await waitUntil(`${name} to be ready`, async () => {
      if (exited) throw new Error(`${name} exited:\n${output}`);
      return (await proc.health()).status === 200;
    }, 30_000).catch(async (err) => {
      await proc.stop(); // a process that never got ready is not left running
      throw new Error(`${err.message}\n--- ${name} output ---\n${output}`);
    });
  }
  return proc;
};

/**
 * Starts several processes at once. If one fails, the others are stopped before the error is
 * thrown: a half-started set would otherwise outlive the test and keep jest from exiting.
 */
export const startPlatformProcesses = async (
  names: string[],
  options: Parameters<typeof startPlatformProcess>[1] = {},
): Promise<PlatformProcess[]> => {
  const results = await Promise.allSettled(names.map((name) => startPlatformProcess(name, options)));
  const started = results.flatMap((r) => (r.status === 'fulfilled' ? [r.value] : []));
  const failed = results.find((r): r is PromiseRejectedResult => r.status === 'rejected');
  if (failed) {
    await Promise.all(started.map((p) => p.stop()));
    throw failed.reason;
  }
  return started;
};

/** Runs one of the infrastructure component scripts: `infraScript('nats', 'stop')`. */
export const infraScript = (component: string, action: 'start' | 'stop' | 'status'): void => {
  const result = spawnSync('bash', [join(repoRoot, 'infra/scripts', `${component}.sh`), action], {
    encoding: 'utf8',
    timeout: 120_000,
  });
  if (result.status !== 0) throw new Error(`${component}.sh ${action} failed:\n${result.stdout}${result.stderr}`);
};
