import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type Dockerode from 'dockerode';
import { toEnvelopes, type EventStore } from '@slipway/event-store';
import { newCommandMetadata } from '@slipway/messaging';

/**
 * Orphans as a crash leaves them, made for one test and named after it: a Swarm service and a
 * network labelled for a project no event knows, a route of a service that never existed, and an
 * untagged image of a Slipway build.
 */
export interface Orphans {
  swarmService: string;
  network: string;
  routeId: string;
  hostname: string;
  danglingImage: string;
}

const follow = (docker: Dockerode, stream: NodeJS.ReadableStream) =>
  new Promise<void>((resolve, reject) =>
    docker.modem.followProgress(stream, (err: Error | null, events: { error?: string }[]) => {
      const failed = events?.find((e) => e.error);
      return err || failed ? reject(err ?? new Error(failed!.error)) : resolve();
    }),
  );

/** Two builds under one tag: the first one's image is left untagged (dangling), as a rebuild leaves it. */
const danglingBuildImage = async (docker: Dockerode, from: string, name: string): Promise<string> => {
  const dir = await mkdtemp(join(tmpdir(), 'slipway-cleanup-e2e-'));
  try {
    const build = async (commit: string) => {
      await writeFile(join(dir, 'Dockerfile'), `FROM ${from}\nLABEL com.slipway.commit=${commit}\n`);
      await follow(docker, await docker.buildImage({ context: dir, src: ['Dockerfile'] }, { t: `${name}:build`, rm: true }));
      return ((await docker.getImage(`${name}:build`).inspect()) as { Id: string }).Id;
    };
    const first = await build('aaaaaaa1');
    await build('bbbbbbb2');
    return first;
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
};

/** `from` plus a layer of `bytes` random bytes, tagged `tag` on this Engine. */
export const withOwnLayer = async (docker: Dockerode, from: string, tag: string, bytes: number) => {
  const dir = await mkdtemp(join(tmpdir(), 'slipway-cleanup-e2e-'));
  try {
    await writeFile(join(dir, 'Dockerfile'), `FROM ${from}\nUSER root\nRUN head -c ${bytes} /dev/urandom > /pad\nUSER node\n`);
    await follow(docker, await docker.buildImage({ context: dir, src: ['Dockerfile'] }, { t: tag, rm: true }));
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
};

export const createOrphans = async (docker: Dockerode, store: EventStore, prefix: string, image: string): Promise<Orphans> => {
  const ghostProject = `p_${prefix.replace(/-/g, '_')}_ghost`;
  const labels = { 'slipway.managed': 'true', 'slipway.project': ghostProject };
  const network = `slipway-${prefix}-ghost`;
  await docker.createNetwork({ Name: network, Driver: 'overlay', Attachable: true, Labels: labels });
  const swarmService = `${prefix}-ghost-web`;
  await docker.createService({
    Name: swarmService,
    Labels: { ...labels, 'slipway.service': `s_${prefix.replace(/-/g, '_')}_ghost` },
    TaskTemplate: { ContainerSpec: { Image: image }, Networks: [{ Target: network }] },
    Mode: { Replicated: { Replicas: 0 } },
  } as Dockerode.CreateServiceOptions);
  const routeId = `s_${prefix.replace(/-/g, '_')}_route`;
  const hostname = `ghost-${prefix}.localhost`;
  const stream = { context: 'routing' as const, aggregate: 'route', id: routeId };
  const assigned = { routeId, serviceId: routeId, hostnames: [hostname], upstream: { dnsName: `tasks.${swarmService}`, port: 3000 }, network };
  await store.append(stream, toEnvelopes(stream, [{ type: 'RouteAssigned', data: assigned }], newCommandMetadata({ kind: 'service', id: 'routing' })), 0);
  const danglingImage = await danglingBuildImage(docker, image, `${prefix}-dangling`);
  return { swarmService, network, routeId, hostname, danglingImage };
};

/** Whatever the test made that a failed run left behind. */
export const removeOrphans = async (docker: Dockerode, o: Orphans, prefix: string) => {
  await docker.getService(o.swarmService).remove().catch(() => undefined);
  await docker.getNetwork(o.network).remove().catch(() => undefined);
  await docker.getImage(`${prefix}-dangling:build`).remove().catch(() => undefined);
  await docker.getImage(o.danglingImage).remove().catch(() => undefined);
};

export const exists = async (what: () => Promise<unknown>) =>
  what().then(
    () => true,
    (err: { statusCode?: number }) => {
      if (err.statusCode === 404) return false;
      throw err;
    },
  );
