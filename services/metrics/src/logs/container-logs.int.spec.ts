import { randomUUID } from 'node:crypto';
import Dockerode from 'dockerode';
import { DockerEngine } from '@slipway/docker-engine';
import { victoriaLogsUrl } from '@slipway/proto';
import { waitUntil } from '@slipway/testing';
import { ContainerLogsCollector } from './container-logs.collector';
import { VictoriaLogsShipper } from './victorialogs-shipper.adapter';

/**
 * The collector against the real Docker and the real VictoriaLogs (infra/scripts/victorialogs.sh):
 * a container labelled as a Slipway service prints, and its lines are searchable within 5 s.
 */
const docker = new Dockerode({ socketPath: process.env.DOCKER_SOCKET ?? '/var/run/docker.sock' });
/** The client the service uses; dockerode only sets the scene. */
const engine = new DockerEngine();
const vlogs = victoriaLogsUrl(process.env.VICTORIALOGS_URL);

const query = async (logsql: string): Promise<Record<string, string>[]> => {
  const res = await fetch(`${vlogs}/select/logsql/query`, { method: 'POST', body: new URLSearchParams({ query: logsql }) });
  if (!res.ok) throw new Error(`VictoriaLogs: ${res.status} ${await res.text()}`);
  return (await res.text()).split('\n').filter(Boolean).map((l) => JSON.parse(l) as Record<string, string>);
};
const count = async (serviceId: string, filter = '') =>
  Number((await query(`{serviceId="${serviceId}"} ${filter} | stats count() n`))[0]?.n ?? 0);

const runApp = async (serviceId: string, script: string) => {
  const container = await docker.createContainer({
    Image: 'node:24-bookworm-slim',
    Cmd: ['node', '-e', script],
    Labels: { 'slipway.service': serviceId, 'slipway.project': 'p-logs-test', 'slipway.test': 'logs' },
  });
  await container.start();
  return container;
};

describe('runtime logs collector', () => {
  const shipper = new VictoriaLogsShipper(vlogs);
  const collector = new ContainerLogsCollector(engine, shipper);
  const containers: Dockerode.Container[] = [];

  beforeAll(async () => {
    const health = await fetch(`${vlogs}/health`).catch(() => null);
    if (!health?.ok) throw new Error(`VictoriaLogs is not up at ${vlogs}: run infra/scripts/up.sh`);
    await collector.start();
  });
  afterAll(async () => {
    await collector.stop();
    await Promise.all(containers.map((c) => c.remove({ force: true }).catch(() => undefined)));
  });

  it("stores a new container's stdout and stderr, with its stream fields, searchable within 5 s", async () => {
    const serviceId = `s-${randomUUID().slice(0, 8)}`;
    const started = Date.now();
    const c = await runApp(serviceId, `console.log('listening on 3000'); console.error('warning: "quoted" \\\\ path'); setInterval(() => console.log('tick'), 200);`);
    containers.push(c);
    await waitUntil('the listening line in VictoriaLogs', async () => (await count(serviceId, '"listening on 3000"')) === 1, 5_000, 100);
    const searchableMs = Date.now() - started;
    await waitUntil('the stderr line', async () => (await count(serviceId, 'stream:stderr')) === 1, 5_000, 100);
    const [line] = await query(`{serviceId="${serviceId}"} "listening on 3000"`);
    expect(line).toMatchObject({ _msg: 'listening on 3000', stream: 'stdout', project: 'p-logs-test', serviceId, container: c.id.slice(0, 12) });
    const [err] = await query(`{serviceId="${serviceId}"} stream:stderr`);
    expect(err._msg).toBe('warning: "quoted" \\ path');
    console.log(`container start → line searchable: ${searchableMs} ms`);
  });

  it('keeps up with a burst of 20,000 lines, none lost or repeated', async () => {
    const serviceId = `s-${randomUUID().slice(0, 8)}`;
    const lines = 20_000;
    const c = await runApp(serviceId, `for (let i = 0; i < ${lines}; i++) console.log('line ' + i + ' of a burst'); setTimeout(() => {}, 60000);`);
    containers.push(c);
    const started = Date.now();
    await waitUntil(`${lines} lines in VictoriaLogs`, async () => (await count(serviceId)) >= lines, 30_000, 250);
    const seconds = (Date.now() - started) / 1000;
    expect(await count(serviceId)).toBe(lines);
    expect(await count(serviceId, '"line 19999 of a burst"')).toBe(1);
    console.log(`${lines} lines searchable in ${seconds.toFixed(1)} s (${Math.round(lines / seconds)} lines/s); shipper ${JSON.stringify(shipper.stats)}`);
  });

  it('resumes a container followed again without repeating its lines', async () => {
    const serviceId = `s-${randomUUID().slice(0, 8)}`;
    const c = await runApp(serviceId, `let i = 0; setInterval(() => console.log('beat ' + i++), 100);`);
    containers.push(c);
    await waitUntil('beats', async () => (await count(serviceId)) >= 10, 5_000, 100);
    // A lost stream (dockerd restarted, say): the next resync follows it again from the last shipped line.
    collector['followed'].get(c.id)!.stream.destroy();
    await waitUntil('the stream to be dropped', () => !collector.containers.includes(c.id), 2_000, 20);
    await collector.sync();
    await new Promise((r) => setTimeout(r, 1_500));
    await shipper.flush();
    await waitUntil('new beats after the resume', async () => (await count(serviceId)) >= 20, 5_000, 100);
    const rows = await query(`{serviceId="${serviceId}"} | stats by (_msg) count() n | filter n:>1`);
    expect(rows).toEqual([]);
  });
});
