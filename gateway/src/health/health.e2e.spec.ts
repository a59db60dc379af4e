import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { chromium } from 'playwright-core';
import { connect, type NatsConnection } from '@nats-io/transport-node';
import { healthSubject, platformServices } from '@slipway/proto';
import { repoRoot, startPlatformProcess, startPlatformProcesses, startScratchPlatform, waitUntil, type PlatformProcess, type ScratchPlatform } from '@slipway/testing';
import { busCredentials } from '@slipway/messaging';

interface ServiceHealth {
  name: string;
  status: string;
  consumers: string[];
  commands: string[];
}
interface HealthResult {
  health: { status: string; gateway: Record<string, string>; services: ServiceHealth[] };
}

const query = async (gateway: PlatformProcess, body: string) => {
  const res = await fetch(`http://127.0.0.1:${gateway.port}/graphql`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ query: body }),
  });
  return (await res.json()) as { data?: HealthResult; errors?: { message: string }[] };
};

describe('platform health through the gateway', () => {
  const processes: PlatformProcess[] = [];
  let gateway: PlatformProcess;

  beforeAll(async () => {
    processes.push(...(await startPlatformProcesses(platformServices.map((s) => s.name))));
    gateway = await startPlatformProcess('gateway', { waitForReady: false });
    processes.push(gateway);
  });
  afterAll(async () => {
    await Promise.all(processes.map((p) => p.stop()));
  });

  it('answers the health query with every service ready, over GraphQL', async () => {
    let health: HealthResult['health'] | undefined;
    await waitUntil('the whole platform to be ready', async () => {
      health = (await query(gateway, '{ health { status gateway { status nats mongo } services { name status consumers commands } } }')).data?.health;
      return health?.status === 'ready';
    }, 30_000);
    if (!health) throw new Error('no health');
    expect(health.gateway).toEqual({ status: 'ready', nats: 'connected', mongo: 'connected' });
    expect(health.services.map((s) => s.name)).toEqual(platformServices.map((s) => s.name));
    const byName = Object.fromEntries(health.services.map((s) => [s.name, s]));
    expect(byName.deploy.commands).toEqual(['cancel-deployment', 'deploy-project', 'list-service-volumes', 'request-deployment', 'run-cleanup']);
    expect(byName.build.consumers).toEqual(['build-on-cleanup-deploy-reported', 'build-on-deployment-cancelled', 'build-on-deployment-released', 'build-on-preview-destroy-requested', 'build-on-resources-reserved', 'build-on-service-deleted', 'build-runner']);
    expect(byName.metrics.consumers).toEqual(['metrics-notify-on-alert', 'metrics-on-deployment-failed', 'metrics-on-project-deleted']);
    expect(byName.backup.consumers).toEqual(['backup-deadline', 'backup-write']);
    expect(byName.backup.commands).toEqual(['create-backup']);
    expect(byName.metrics.commands).toEqual(['create-alert-rule', 'create-notification-channel', 'delete-alert-rule', 'delete-notification-channel', 'set-smtp-settings', 'test-notification-channel']);
    expect((await gateway.health()).status).toBe(200);
  });

  it('marks a stopped service unreachable and the platform degraded', async () => {
    const metrics = processes.find((p) => p.name === 'metrics')!;
    await metrics.stop();
    // A report is shared for a second (see the security test below): the next one sees the change.
    let data: HealthResult | undefined;
    await waitUntil('the gateway to see metrics gone', async () => {
      data = (await query(gateway, '{ health { status services { name status } } }')).data;
      return data?.health.status === 'degraded';
    }, 5_000);
    expect(data?.health.services.find((s) => s.name === 'metrics')?.status).toBe('unreachable');
    expect((await gateway.health()).status).toBe(503);
  });

  it('rejects a malformed query with an error that names the problem', async () => {
    const { errors } = await query(gateway, '{ health { colour } }');
    expect(errors?.[0].message).toBe('Cannot query field "colour" on type "Health".');
  });

  it('serves the console\'s status page on the same origin, readable in a browser', async () => {
    const browser = await chromium.launch({
      executablePath: '/usr/bin/chromium',
      args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run'],
    });
    try {
      const page = await browser.newPage();
      await page.goto(`http://127.0.0.1:${gateway.port}/status`);
      await page.waitForSelector('#rows tr:nth-child(8)');
      expect(await page.textContent('#overall')).toBe('degraded');
      expect(await page.textContent('#rows tr:nth-child(4)')).toMatch(/^deployready/);
      const dir = join(repoRoot, 'artifacts', 'screenshots');
      mkdirSync(dir, { recursive: true });
      await page.screenshot({ path: join(dir, 'status-page.png'), fullPage: true });
    } finally {
      await browser.close();
    }
  });
});

/** On a platform of its own, where this test is the only one answering health requests: it counts them. */
describe('security: anonymous health is cached and cheap', () => {
  let platform: ScratchPlatform;
  let gateway: PlatformProcess;
  let nc: NatsConnection;
  let asked = 0;

  beforeAll(async () => {
    platform = await startScratchPlatform();
    nc = await connect({ servers: platform.NATS_URL, ...busCredentials('operator') });
    for (const { name } of platformServices) {
      nc.subscribe(healthSubject(name), {
        callback: (_err, m) => {
          if (name === 'project') asked++;
          m.respond(JSON.stringify({ service: name, status: 'ready', nats: 'connected', streams: [], consumers: [], commands: [], uptimeSeconds: 1, pid: 1 }));
        },
      });
    }
    gateway = await startPlatformProcess('gateway', { waitForReady: false, env: platform.env });
    await waitUntil('the gateway to answer', async () => (await gateway.health()).status > 0, 30_000);
  });
  afterAll(async () => {
    await gateway?.stop();
    await nc?.close();
    await platform?.stop();
  });

  it('answers 1000 aliased health fields in one request with at most one fan-out to the services, quickly', async () => {
    await new Promise((r) => setTimeout(r, 1_500)); // what the gateway asked while starting is stale by now
    asked = 0;
    const aliases = Array.from({ length: 1000 }, (_, i) => `h${i}: health { status }`).join(' ');
    const started = Date.now();
    const { data } = await query(gateway, `{ ${aliases} }`);
    const elapsedMs = Date.now() - started;
    const answers = Object.values((data ?? {}) as Record<string, HealthResult['health']>);
    expect(answers).toHaveLength(1000);
    expect(new Set(answers.map((h) => h.status))).toEqual(new Set(['ready']));
    expect(asked).toBeLessThanOrEqual(1);
    expect(elapsedMs).toBeLessThan(2_000);
  });
});
