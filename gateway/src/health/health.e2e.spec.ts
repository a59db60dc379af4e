import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { chromium } from 'playwright-core';
import { platformServices } from '@slipway/proto';
import { repoRoot, startPlatformProcess, startPlatformProcesses, waitUntil, type PlatformProcess } from '@slipway/testing';

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
    expect(byName.deploy.commands).toEqual(['cancel-deployment', 'request-deployment']);
    expect(byName.build.consumers).toEqual(['build-on-deployment-cancelled', 'build-on-deployment-requested', 'build-runner']);
    expect((await gateway.health()).status).toBe(200);
  });

  it('marks a stopped service unreachable and the platform degraded', async () => {
    const metrics = processes.find((p) => p.name === 'metrics')!;
    await metrics.stop();
    const { data } = await query(gateway, '{ health { status services { name status } } }');
    expect(data?.health.status).toBe('degraded');
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
