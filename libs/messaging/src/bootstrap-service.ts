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

/** A part of the control plane running in this process: a service or the gateway. */
export interface RunningPart {
  name: string;
  /** The service's own health, when it has one here (the gateway reports through its /health). */
  health?: ServiceHealth;
  /** Stops taking work and closes its connections; this process keeps running. */
  stop(): Promise<void>;
}

/**
 * Starts one Slipway service as its own NestJS application with its own NATS connection: health
 * first (so it answers while NATS is down), then the transport. `healthPort: null` serves no health
 * port of its own: several services in one process share one (run-platform.ts).
 */
export const startService = async (spec: ServiceSpec, options: { healthPort?: number | null } = {}): Promise<RunningPart> => {
  const log = new Logger(spec.service);
  const platform = new PlatformConnection(spec.service, process.env.NATS_URL ?? 'nats://127.0.0.1:4222');
  const health = new ServiceHealth(spec.service, platform);
  const port = options.healthPort === undefined ? Number(process.env.HEALTH_PORT ?? spec.healthPort) : options.healthPort;
  const http = port === null ? null : await serveHealth(health, port);
  platform.onStateChange((state) => log.log(`NATS ${state}`));

  @Module({ imports: [PlatformModule.register(platform), spec.module] })
  class ServiceRoot {}

  const app = await NestFactory.createMicroservice(ServiceRoot, {
    strategy: new JetStreamTransport(platform, spec.context, health),
    logger: ['log', 'warn', 'error'],
  });
  app.useGlobalFilters(new RethrowRpcFilter());
  await app.listen();
  if (port !== null) log.log(`health on http://127.0.0.1:${port}/health`);
  return {
    name: spec.service,
    health,
    stop: async () => {
      http?.close();
      await app.close();
    },
  };
};

/**
 * Runs parts of the control plane in this process until SIGINT or SIGTERM, then stops them, last
 * started first. A handler still busy (a build, a wait on Caddy) must not keep the process: its
 * event is not acknowledged, so it is handed out again after the restart; past 5 s it exits anyway.
 */
export const runUntilSignal = (parts: RunningPart[], log = new Logger('slipway')): void => {
  const stop = async (signal: string) => {
    log.log(`${signal}: stopping ${parts.map((p) => p.name).join(', ')}`);
    setTimeout(() => {
      log.warn('still busy 5 s after the signal: exiting anyway (unfinished events are redelivered)');
      process.exit(0);
    }, 5_000).unref();
    for (const part of [...parts].reverse()) {
      await part.stop().catch((err: Error) => log.warn(`${part.name} did not stop cleanly: ${err.message}`));
    }
    process.exit(0);
  };
  process.once('SIGINT', () => void stop('SIGINT'));
  process.once('SIGTERM', () => void stop('SIGTERM'));
};

/** One service alone in its process (`node dist/services/<name>/src/main.js`). */
export const bootstrapService = async (spec: ServiceSpec): Promise<void> => {
  runUntilSignal([await startService(spec)], new Logger(spec.service));
};
