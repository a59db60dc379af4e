import { Logger } from '@nestjs/common';
import { Server, type CustomTransportStrategy, type MessageHandler } from '@nestjs/microservices';
import { lastValueFrom } from 'rxjs';
import { eventStreamName, healthSubject, type CommandDefinition, type Context } from '@slipway/proto';
import type { StoredEvent } from '@slipway/event-store';
import { dispatchCommand, type RegisteredCommand } from './command-dispatch';
import type { EventSubscription } from './decorators';
import type { PlatformConnection } from './platform-connection';
import type { ServiceHealth } from './service-health';

/**
 * The NestJS transport of every Slipway service: @Command handlers answer NATS request/reply on
 * platform.<context>.commands.* (queue group = context), @OnEvent handlers run on durable
 * JetStream consumers. `listen` returns at once: wiring waits for NATS in the background, so a
 * service boots (and reports not-ready) even while NATS is down.
 */
export class JetStreamTransport extends Server implements CustomTransportStrategy {
  private readonly log = new Logger('JetStreamTransport');

  constructor(
    private readonly platform: PlatformConnection,
    private readonly context: Context,
    private readonly health: ServiceHealth,
  ) {
    super();
  }

  listen(callback: () => void): void {
    this.wire().catch((err) => this.log.error(`Could not wire ${this.health.service}: ${err}`));
    callback();
  }

  async close(): Promise<void> {
    await this.platform.close();
  }

  on(): never {
    throw new Error('JetStreamTransport has no server events to listen to');
  }

  unwrap<T>(): T {
    return this.platform.connection as T;
  }

  private async wire(): Promise<void> {
    await this.platform.ready;
    const nc = this.platform.connection;
    this.health.streams.add(eventStreamName(this.context));

    const commands = new Map<string, RegisteredCommand>();
    for (const [name, handler] of this.messageHandlers) {
      if (handler.isEventHandler) continue;
      const definition = handler.extras?.definition as CommandDefinition;
      commands.set(name, { definition, handle: (data, metadata) => this.invoke(handler, { data, metadata }) });
      this.health.commands.add(name);
    }
    const prefix = `platform.${this.context}.commands.`;
    nc.subscribe(`${prefix}*`, {
      queue: this.context,
      callback: (err, msg) => {
        if (err) return;
        void dispatchCommand(this.context, msg.subject.slice(prefix.length), msg.string(), commands).then((reply) =>
          msg.respond(JSON.stringify(reply)),
        );
      },
    });
    nc.subscribe(healthSubject(this.health.service), {
      callback: (err, msg) => {
        if (!err) msg.respond(JSON.stringify(this.health.report()));
      },
    });

    for (const [durable, handler] of this.messageHandlers) {
      if (!handler.isEventHandler) continue;
      const subscription = handler.extras?.subscription as EventSubscription;
      const { ackWaitMs, maxDeliver } = subscription;
      await this.platform.store.subscribe(
        durable,
        subscription,
        async (event: StoredEvent) => {
          if (subscription.types && !subscription.types.includes(event.type)) return;
          await this.invoke(handler, event);
        },
        { ackWaitMs, maxDeliver },
      );
      this.health.consumers.add(durable);
    }
    this.health.wired = true;
    this.log.log(`${this.health.service} wired: ${commands.size} commands, ${this.health.consumers.size} consumers`);
  }

  private async invoke<T>(handler: MessageHandler, payload: unknown): Promise<T> {
    return (await lastValueFrom(this.transformToObservable(await handler(payload)), { defaultValue: undefined })) as T;
  }
}
