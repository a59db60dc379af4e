import { spawnSync } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { connect, type NatsConnection } from '@nats-io/transport-node';
import { healthSubject, platformServices } from '@slipway/proto';
import { infraEnv, repoRoot, startPlatformProcess, waitUntil, type PlatformProcess } from '@slipway/testing';
import { busCredentials } from './nats-auth';
import type { HealthReport } from './service-health';

/**
 * One-process mode (ADR 0026): `run-service.sh all` runs every service and the gateway in one Node
 * process, each still its own application with its own NATS connection; a list runs a subset, so
 * the same code runs split over processes (or machines). Against the machine's NATS and read store.
 */
const SERVICES = platformServices.map((s) => s.name);

const childrenOf = (pid: number) =>
  readdirSync('/proc').filter((e) => /^\d+$/.test(e)).map(Number).filter((p) => {
    try {
      return /PPid:\s+(\d+)/.exec(readFileSync(`/proc/${p}/status`, 'utf8'))?.[1] === String(pid);
    } catch {
      return false;
    }
  });

/** Client connections to the machine's NATS by name, from its monitoring port. */
const connectionsByName = async () => {
  const connz = (await (await fetch('http://127.0.0.1:8222/connz?limit=4096')).json()) as { connections?: { name?: string }[] };
  const counts = new Map<string, number>();
  for (const c of connz.connections ?? []) counts.set(c.name ?? '', (counts.get(c.name ?? '') ?? 0) + 1);
  return counts;
};

describe('the control plane in one process, or split', () => {
  let nc: NatsConnection;
  const started: PlatformProcess[] = [];
  /** Each service's own report over NATS: its pid says which process it runs in. */
  const report = async (service: string) => JSON.parse(new TextDecoder().decode((await nc.request(healthSubject(service), '', { timeout: 3_000 })).data)) as HealthReport;

  beforeAll(async () => {
    nc = await connect({ servers: infraEnv().NATS_URL, ...busCredentials('operator') });
  });
  afterAll(async () => {
    await Promise.all(started.map((p) => p.stop()));
    await nc?.close();
  });

  it('runs every service and the gateway in one process, each with its own connection, and stops on SIGTERM', async () => {
    const before = await connectionsByName();
    const all = await startPlatformProcess('all', { waitForReady: false });
    started.push(all);
    await waitUntil('the gateway to report every service ready', async () => {
      const res = await fetch(`http://127.0.0.1:${all.port}/graphql`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ query: '{ health { status services { name status } } }' }) });
      const { data } = (await res.json()) as { data?: { health: { status: string; services: { name: string; status: string }[] } } };
      return data?.health.status === 'ready' && data.health.services.every((s) => s.status === 'ready');
    }, 60_000, 250);
    const reports = await Promise.all(SERVICES.map(report));
    // run-service.sh execs node: the process started is the one every service runs in, and it has no Node children.
    expect(new Set(reports.map((r) => r.pid))).toEqual(new Set([all.pid]));
    expect(childrenOf(all.pid)).toEqual([]);
    expect(all.output()).toMatch(/running project, build, deploy, routing, preview, quota, metrics, backup, gateway in one process/);
    // Each its own NATS connection, named after it, as when each runs alone.
    const after = await connectionsByName();
    for (const part of [...SERVICES, 'gateway']) expect([part, (after.get(`slipway-${part}`) ?? 0) - (before.get(`slipway-${part}`) ?? 0)]).toEqual([part, 1]);

    const stoppedAt = Date.now();
    await all.stop();
    expect(all.alive()).toBe(false);
    const stopMs = Date.now() - stoppedAt;
    console.log(`one process: every part ready, stopped ${stopMs} ms after SIGTERM`);
    expect(stopMs).toBeLessThan(5_500);
    started.splice(started.indexOf(all), 1);
  });

  it('splits over two processes named by SLIPWAY_SERVICES; the one without the gateway answers health for its services on one port', async () => {
    const [front, back] = await Promise.all([
      startPlatformProcess('gateway,project,quota', { waitForReady: false }),
      startPlatformProcess('build,deploy,routing,preview,metrics,backup'),
    ]);
    started.push(front, back);
    const health = (await back.health()).body as { status: string; services: HealthReport[] };
    expect(health.status).toBe('ready');
    expect(health.services.map((s) => s.service)).toEqual(['build', 'deploy', 'routing', 'preview', 'metrics', 'backup']);
    expect(new Set(health.services.map((s) => s.pid))).toEqual(new Set([back.pid]));
    await waitUntil('the front process to be ready', async () => (await front.health()).status === 200, 60_000, 250);
    expect((await report('project')).pid).toBe(front.pid);
    expect((await report('quota')).pid).toBe(front.pid);
  });

  it('names a part it does not know, and what it knows', () => {
    const run = spawnSync('bash', [join(repoRoot, 'infra/platform/run-service.sh'), 'gateway,bulid'], { encoding: 'utf8' });
    expect(run.status).toBe(2);
    expect(run.stderr.trim()).toBe('ERROR: SLIPWAY_SERVICES names "bulid", which is not a part of Slipway: use "all" or some of project, build, deploy, routing, preview, quota, metrics, backup, gateway');
  });
});
