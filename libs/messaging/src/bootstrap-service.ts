import 'reflect-metadata';
import { Logger, Module, type Type } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import type { Context } from '@slipway/proto';
import { JetStreamTransport } from './jetstream.transport';
import { PlatformConnection } from './platform-connection';
import { PlatformModule } from './platform.module';
import { RethrowRpcFilter } from './rethrow-rpc.filter';
import { serveHealth, ServiceHealth } from './service-health';

export interface ServiceSpec {
  service: string;
  context: Context;
  module: Type;
  /** HEALTH_PORT overrides it. */
  healthPort: number;
}

/**
 * Boots one Slipway service as its own NestJS application: health first (so it answers while
 * NATS is down), then the transport, then a clean shutdown on SIGINT/SIGTERM.
 */
export const bootstrapService = async (spec: ServiceSpec): Promise<void> => {
  const log = new Logger(spec.service);
  const platform = new PlatformConnection(spec.service, process.env.NATS_URL ?? 'nats://127.0.0.1:4222');
  const health = new ServiceHealth(spec.service, platform);
  const port = Number(process.env.HEALTH_PORT ?? spec.healthPort);
  const http = await serveHealth(health, port);
  platform.onStateChange((state) => log.log(`NATS ${state}`));

  @Module({ imports: [PlatformModule.register(platform), spec.module] })
  class ServiceRoot {}

  const app = await NestFactory.createMicroservice(ServiceRoot, {
    strategy: new JetStreamTransport(platform, spec.context, health),
    logger: ['log', 'warn', 'error'],
  });
  app.useGlobalFilters(new RethrowRpcFilter());
  await app.listen();
  log.log(`health on http://127.0.0.1:${port}/health`);

  const stop = async (signal: string) => {
    log.log(`${signal}: stopping`);
    // A handler still busy (a build, a wait on Caddy) must not keep the process: its event is
    // not acknowledged, so it is handed out again after the restart.
    setTimeout(() => {
      log.warn('still busy 5 s after the signal: exiting anyway (unfinished events are redelivered)');
      process.exit(0);
    }, 5_000).unref();
    http.close();
    await app.close();
    process.exit(0);
  };
  process.once('SIGINT', () => void stop('SIGINT'));
  process.once('SIGTERM', () => void stop('SIGTERM'));
};
