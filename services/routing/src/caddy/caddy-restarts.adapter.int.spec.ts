import { randomUUID } from 'node:crypto';
import Dockerode from 'dockerode';
import { waitUntil } from '@slipway/testing';
import { watchCaddyRestarts } from './caddy-restarts.adapter';

/**
 * Against the real Docker engine: a container labelled as a task of the watched service starting
 * is reported within a second, each time; one of another service is not. (Caddy's image with a
 * command that exits at once stands for a task: what matters is the label Swarm puts on its tasks.)
 */
describe('watchCaddyRestarts', () => {
  const docker = new Dockerode();
  const service = `slipway-restart-watch-${randomUUID().slice(0, 6)}`;
  const created: Dockerode.Container[] = [];
  const task = async (serviceName: string) => {
    const container = await docker.createContainer({
      Image: 'slipway/caddy:local',
      Entrypoint: ['/bin/busybox', 'true'],
      Labels: { 'com.docker.swarm.service.name': serviceName },
    });
    created.push(container);
    return container;
  };

  afterAll(async () => {
    for (const c of created) await c.remove({ force: true }).catch(() => undefined);
  });

  it('calls back when a task of the service starts, and only then', async () => {
    let starts = 0;
    const watch = watchCaddyRestarts(docker, () => starts++, { caddyService: service });
    try {
      await new Promise((r) => setTimeout(r, 500)); // the event stream is open
      await (await task(`${service}-other`)).start();
      const own = await task(service);
      const at = Date.now();
      await own.start();
      await waitUntil('the start to be reported', () => starts === 1, 5_000, 20);
      expect(Date.now() - at).toBeLessThan(1_000);
      await own.wait();
      await own.start();
      await waitUntil('the second start to be reported', () => starts === 2, 5_000, 20);
    } finally {
      watch.stop();
    }
  }, 30_000);
});
