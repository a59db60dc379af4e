import 'reflect-metadata';
import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { Logger, Module } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import type { NestExpressApplication } from '@nestjs/platform-express';
import { PlatformConnection, PlatformModule, type RunningPart } from '@slipway/messaging';
import { archivesDirectory } from '@slipway/proto';
import { startArchiveSweep } from './archives/archive-sweep';
import { mountArchiveUpload } from './archives/archive-upload';
import { GatewayModule } from './gateway.module';
import { HealthReports } from './health/health.reader';
import { mountWebhooks } from './webhooks/webhook-receiver';
import { mountGraphql } from './graphql-server';
import { mountPlatformMetrics } from './metrics/platform-metrics';
import { startProjections, stopProjections } from './read-models/projections';
import { ReadStore } from './read-store';
import { ViewCache } from './read-models/view-cache';

/** The console's built files (web/dist), found from here whether run from src/ or dist/. */
const webRoot = (): string => {
  for (let dir = __dirname; dir !== dirname(dir); dir = dirname(dir)) {
    if (existsSync(join(dir, 'web', 'dist', 'index.html'))) return join(dir, 'web', 'dist');
  }
  throw new Error(`web/dist/index.html not found above ${__dirname}: build the console first (bash web/scripts/build.sh)`);
};

/** The gateway: the console, the GraphQL API, webhooks and the read models; alone in a process or beside the services. */
export const start = async (): Promise<RunningPart> => {
  const log = new Logger('gateway');
  const platform = new PlatformConnection('gateway', process.env.NATS_URL ?? 'nats://127.0.0.1:4222');
  platform.onStateChange((state) => log.log(`NATS ${state}`));
  const readStore = new ReadStore(process.env.MONGO_URL ?? 'mongodb://127.0.0.1:27017');
  const health = new HealthReports(platform, readStore);

  @Module({ imports: [PlatformModule.register(platform), GatewayModule.register(readStore, health)] })
  class GatewayRoot {}

  const app = await NestFactory.create<NestExpressApplication>(GatewayRoot, {
    logger: ['log', 'warn', 'error'],
    bodyParser: true,
  });
  // No ETag on answers: GraphQL is POST, which no cache revalidates, and Express hashed every body
  // for one (a 109 KiB projects page, 200 times a second in bench/gateway).
  app.set('etag', false);
  const projections = startProjections(platform, readStore);
  const views = new ViewCache(readStore);
  void views.start();
  // A projection rebuilt at start (a newer version) changed documents the cache had already read.
  void projections.started?.then(() => views.reload());
  void platform.ready.then(() => views.follow(platform.connection));
  // Announcements made while NATS was away are lost: read everything again when it is back.
  platform.onStateChange((state) => state === 'connected' && void views.reload());
  await mountGraphql(app.getHttpAdapter().getInstance(), app.getHttpServer(), { platform, readStore, projections, views, health });
  const archives = archivesDirectory(process.env.SLIPWAY_DATA_DIR ?? '/var/lib/slipway');
  mountArchiveUpload(app.getHttpAdapter().getInstance(), archives, views);
  const archiveSweep = startArchiveSweep(archives, readStore);
  mountWebhooks(app.getHttpAdapter().getInstance(), platform, readStore);
  mountPlatformMetrics(app.getHttpAdapter().getInstance(), { platform, readStore, projections, views });
  const web = webRoot();
  app.useStaticAssets(web, { index: false });
  // The console routes in the browser: any other page address gets its index.html.
  app.getHttpAdapter().getInstance().get(/^\/(?!graphql|archives|webhooks|health)/, (_req: unknown, res: { sendFile: (path: string) => void }) => res.sendFile(join(web, 'index.html')));
  const host = process.env.GATEWAY_HOST ?? '127.0.0.1';
  const port = Number(process.env.GATEWAY_PORT ?? 4000);
  // Longer than clients and proxies keep idle connections (Node's 5 s default): otherwise the server
  // closes a connection just as a client reuses it, and that request fails with ECONNRESET (seen in bench/gateway).
  const server = app.getHttpServer();
  server.keepAliveTimeout = 65_000;
  server.headersTimeout = 66_000;
  await app.listen(port, host);
  log.log(`console http://${host}:${port}/  API http://${host}:${port}/graphql`);

  return {
    name: 'gateway',
    stop: async () => {
      archiveSweep.stop();
      await app.close();
      // Frees the writer leases: another gateway takes the projections over at once, not when they
      // expire. Bounded: a lease left behind expires by itself in seconds.
      await Promise.race([stopProjections(projections), new Promise((r) => setTimeout(r, 3_000).unref())]);
      await views.stop();
      await platform.close();
      await readStore.close();
    },
  };
};
