import type Dockerode from 'dockerode';

export { buildTestApp } from '@slipway/testing';

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

const demux = (raw: Buffer): string => {
  const parts: Buffer[] = [];
  for (let offset = 0; offset + 8 <= raw.length; ) {
    const size = raw.readUInt32BE(offset + 4);
    parts.push(raw.subarray(offset + 8, offset + 8 + size));
    offset += 8 + size;
  }
  return Buffer.concat(parts).toString('utf8');
};
