import type Dockerode from 'dockerode';
import { buildTestApp } from '@slipway/testing';

/** The images the Swarm tests roll out: two healthy versions, and one that never becomes healthy. */
export const buildTestApps = async (docker: Dockerode, registry: string, repository: string) => {
  const [v1, v2, broken] = await Promise.all([
    buildTestApp(docker, { registry, repository, version: 'v1', healthy: true }),
    buildTestApp(docker, { registry, repository, version: 'v2', healthy: true }),
    buildTestApp(docker, { registry, repository, version: 'broken', healthy: false }),
  ]);
  return { v1, v2, broken };
};

/**
 * Asks the service over its own network, from a throwaway container (the host cannot reach an
 * overlay network): what `http://<name>:<port>/` answers, one line per request.
 */
export const askFromNetwork = async (docker: Dockerode, options: { network: string; url: string; times?: number; name: string }): Promise<string[]> => {
  const script = `(async()=>{for(let i=0;i<${options.times ?? 1};i++){try{const r=await fetch(${JSON.stringify(options.url)},{signal:AbortSignal.timeout(3000)});console.log((await r.text()).trim())}catch(e){console.log('ERROR '+e.cause?.code)}}})()`;
  const container = await docker.createContainer({
    name: options.name,
    Image: 'node:24-bookworm-slim',
    Cmd: ['node', '-e', script],
    Labels: { 'slipway.test': 'swarm' },
    HostConfig: { NetworkMode: options.network },
  });
  try {
    await container.start();
    await container.wait();
    const raw = (await container.logs({ stdout: true, stderr: true })) as unknown as Buffer;
    const text = demux(raw);
    return text.split('\n').filter(Boolean);
  } finally {
    await container.remove({ force: true });
  }
};

/** The output of a command run in a running container (as `docker exec` prints it). */
export const execIn = async (docker: Dockerode, containerId: string, cmd: string[]): Promise<string> => {
  const run = await docker.getContainer(containerId).exec({ Cmd: cmd, AttachStdout: true, AttachStderr: true });
  const stream = await run.start({ hijack: true, stdin: false });
  const chunks: Buffer[] = [];
  await new Promise<void>((resolve, reject) => {
    stream.on('data', (c: Buffer) => chunks.push(c));
    stream.on('end', () => resolve());
    stream.on('error', reject);
  });
  return demux(Buffer.concat(chunks));
};

/** Docker's multiplexed output: 8-byte headers (stream, size) before each chunk. */
const demux = (raw: Buffer): string => {
  const parts: Buffer[] = [];
  for (let offset = 0; offset + 8 <= raw.length; ) {
    const size = raw.readUInt32BE(offset + 4);
    parts.push(raw.subarray(offset + 8, offset + 8 + size));
    offset += 8 + size;
  }
  return Buffer.concat(parts).toString('utf8');
};
