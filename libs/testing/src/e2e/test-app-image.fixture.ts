import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type Dockerode from 'dockerode';
import { registryAuth } from '@slipway/secret-box';

/**
 * Tiny HTTP apps for the integration tests, built FROM the local node:24-bookworm-slim stand-in
 * (infra/scripts/images.sh) and pushed to the local registry. `/` answers `<version> <hostname>`,
 * `/healthz` answers 200 (or 500 when built unhealthy); `PUT /files/<name>` stores the body in
 * /data (where the volume tests mount a volume), `GET /files/<name>` answers it. `/burn?seconds=N`
 * keeps one CPU busy for N seconds (a worker thread: the server still answers), `/burn/stop` ends it
 * (the alerts tests). SIGTERM closes the server gracefully.
 */
const server = `
const http = require('http');
const os = require('os');
const fs = require('fs');
const files = (req, res) => {
  const name = req.url.slice('/files/'.length);
  if (!/^[a-z0-9.-]+$/.test(name)) { res.statusCode = 400; return res.end('bad name'); }
  const path = '/data/' + name;
  if (req.method === 'PUT') {
    const chunks = [];
    req.on('data', (c) => chunks.push(c));
    return req.on('end', () => fs.writeFile(path, Buffer.concat(chunks), (err) => { res.statusCode = err ? 500 : 201; res.end(err ? String(err) : 'stored'); }));
  }
  fs.readFile(path, (err, body) => { res.statusCode = err ? 404 : 200; res.end(err ? String(err) : body); });
};
const { Worker } = require('worker_threads');
let burners = [];
const burn = (req, res) => {
  if (req.url.startsWith('/burn/stop')) {
    burners.forEach((w) => w.terminate());
    burners = [];
    return res.end('stopped');
  }
  const seconds = Math.min(Number(new URL(req.url, 'http://app').searchParams.get('seconds') || 60), 600);
  const worker = new Worker('const until = Date.now() + ' + seconds * 1000 + '; while (Date.now() < until) {}', { eval: true });
  burners.push(worker);
  worker.on('exit', () => (burners = burners.filter((w) => w !== worker)));
  res.end('burning for ' + seconds + ' s');
};
const version = process.env.APP_VERSION;
const healthy = process.env.APP_HEALTHY === 'true';
const server = http.createServer((req, res) => {
  if (req.url === '/healthz') {
    res.statusCode = healthy ? 200 : 500;
    return res.end(healthy ? 'ok' : 'broken');
  }
  if (req.url.startsWith('/files/')) return files(req, res);
  if (req.url.startsWith('/burn')) return burn(req, res);
  res.setHeader('content-type', 'text/plain');
  res.end(version + ' ' + os.hostname() + '\\n');
});
const port = Number(process.env.APP_FIXED_PORT || process.env.PORT || 3000);
server.listen(port, '0.0.0.0', () => console.log('listening on ' + port));
process.on('SIGTERM', () => {
  server.close(() => process.exit(0));
  setTimeout(() => process.exit(0), 8000).unref();
});
`;

/** `exposePort`: the app listens there whatever PORT says, and the image EXPOSEs it. */
const dockerfile = (version: string, healthy: boolean, exposePort?: number) => `FROM node:24-bookworm-slim
COPY server.js /app/server.js
RUN mkdir -p /data && chown node:node /data
ENV APP_VERSION=${version} APP_HEALTHY=${healthy}
${exposePort ? `ENV APP_FIXED_PORT=${exposePort}\nEXPOSE ${exposePort}\n` : ''}USER node
CMD ["node", "/app/server.js"]
`;

type ProgressEvent = { error?: string; errorDetail?: { message?: string } };

const follow = (docker: Dockerode, stream: NodeJS.ReadableStream): Promise<ProgressEvent[]> =>
  new Promise((resolve, reject) =>
    docker.modem.followProgress(stream, (err: Error | null, events: ProgressEvent[]) => {
      if (err) return reject(err);
      // build and push errors arrive inside the stream: the promise does not reject by itself
      const failed = events.find((e) => e.error || e.errorDetail);
      if (failed) return reject(new Error(failed.error ?? failed.errorDetail?.message));
      resolve(events);
    }),
  );

/** Builds the app image, tags it `<registry>/<repository>:<version>`, pushes it, returns the reference. */
export const buildTestApp = async (
  docker: Dockerode,
  options: { registry: string; repository: string; version: string; healthy: boolean; exposePort?: number },
): Promise<string> => {
  const ref = `${options.registry}/${options.repository}:${options.version}`;
  const dir = await mkdtemp(join(tmpdir(), 'slipway-test-app-'));
  try {
    await writeFile(join(dir, 'server.js'), server);
    await writeFile(join(dir, 'Dockerfile'), dockerfile(options.version, options.healthy, options.exposePort));
    await follow(docker, await docker.buildImage({ context: dir, src: ['Dockerfile', 'server.js'] }, { t: ref, rm: true, forcerm: true }));
    await follow(docker, await docker.getImage(ref).push({ authconfig: registryAuth('build', options.registry) } as Dockerode.ImagePushOptions));
    return ref;
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
};
