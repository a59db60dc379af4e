import { randomUUID } from 'node:crypto';
import Dockerode from 'dockerode';
import { DockerEngine, DockerEngineError } from './docker-engine';

/**
 * The client against the real Docker (infra/scripts/up.sh): lists filtered by label, stats, a
 * followed log stream with Docker's frames, the event stream, and the daemon's own error message.
 * dockerode only sets the scene.
 */
const docker = new Dockerode({ socketPath: process.env.DOCKER_SOCKET ?? '/var/run/docker.sock' });
const engine = new DockerEngine();
const label = `docker-engine-test-${randomUUID().slice(0, 8)}`;

const firstChunk = (stream: NodeJS.ReadableStream, until: (text: string) => boolean) =>
  new Promise<string>((resolve, reject) => {
    let text = '';
    const timer = setTimeout(() => reject(new Error(`not seen within 10 s; got ${JSON.stringify(text)}`)), 10_000);
    stream.on('data', (c: Buffer) => {
      text += c.toString('latin1');
      if (until(text)) {
        clearTimeout(timer);
        resolve(text);
      }
    });
  });

describe('DockerEngine', () => {
  const created: Dockerode.Container[] = [];
  afterAll(async () => {
    await Promise.all(created.map((c) => c.remove({ force: true }).catch(() => undefined)));
  });

  it('follows a container it sees start, lists it by label, reads its stats and its framed log', async () => {
    const events = await engine.events({ type: ['container'], event: ['start'], label: [label] });
    const started = firstChunk(events, (t) => t.includes('"status":"start"'));
    const c = await docker.createContainer({
      Image: 'node:24-bookworm-slim',
      Cmd: ['node', '-e', `console.log('to stdout'); console.error('to stderr'); setInterval(() => {}, 1000);`],
      Labels: { [label]: 'yes' },
    });
    created.push(c);
    await c.start();
    const event = JSON.parse((await started).split('\n')[0]) as { id: string };
    events.destroy();
    expect(event.id).toBe(c.id);

    const listed = await engine.listContainers({ label: [label], status: ['running'] });
    expect(listed.map((x) => x.Id)).toEqual([c.id]);
    expect(listed[0].Labels[label]).toBe('yes');
    expect(await engine.listContainers({ label: [`${label}-none`] })).toEqual([]);

    const stats = await engine.containerStats<{ memory_stats: { usage: number }; cpu_stats: { cpu_usage: { total_usage: number } } }>(c.id);
    expect(stats.memory_stats.usage).toBeGreaterThan(0);
    expect(stats.cpu_stats.cpu_usage.total_usage).toBeGreaterThan(0);

    const log = await engine.containerLogs(c.id, { follow: true, stdout: true, stderr: true, timestamps: true, since: '0' });
    const text = await firstChunk(log, (t) => t.includes('to stdout') && t.includes('to stderr'));
    log.destroy();
    // Docker's frame header: stream 1 (stdout) or 2 (stderr), three zero bytes, the length.
    expect(text.charCodeAt(0) === 1 || text.charCodeAt(0) === 2).toBe(true);
    expect(text.slice(1, 4)).toBe('\0\0\0');
  });

  it("gives the daemon's own message and status for a container that does not exist", async () => {
    const err = (await engine.containerStats('no-such-container-' + label).catch((e: unknown) => e)) as DockerEngineError;
    expect(err).toBeInstanceOf(DockerEngineError);
    expect(err.statusCode).toBe(404);
    expect(err.message).toMatch(/No such container/i);
  });

  it('says what it could not reach when the socket is wrong', async () => {
    const err = (await new DockerEngine('/nonexistent/docker.sock').listContainers().catch((e: unknown) => e)) as Error;
    expect(err.message).toMatch(/ENOENT/);
  });

  it('lists volumes by label', async () => {
    const name = `${label}-vol`;
    await docker.createVolume({ Name: name, Labels: { [label]: 'yes' } });
    try {
      const listed = await engine.listVolumes({ label: [label] });
      expect((listed.Volumes ?? []).map((v) => v.Name)).toEqual([name]);
    } finally {
      await docker.getVolume(name).remove().catch(() => undefined);
    }
  });
});
