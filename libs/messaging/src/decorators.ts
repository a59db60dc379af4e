import { EventPattern, MessagePattern } from '@nestjs/microservices';
import type { CommandDefinition, CommandMetadata, Context } from '@slipway/proto';

/** The payload a @Command handler receives: data already checked against the command's schema. */
export interface CommandPayload<Data = Record<string, unknown>> {
  data: Data;
  metadata: CommandMetadata;
}

/** Handles platform.<context>.commands.<name>, answering the caller (NATS request/reply). */
export const Command = (definition: CommandDefinition): MethodDecorator =>
  MessagePattern(definition.name, { definition });

export interface EventSubscription {
  /** Durable consumer name, `<owner>-<purpose>` (e.g. build-on-deployment-requested). */
  durable: string;
  context: Context;
  aggregate?: string;
  /** Only these event types reach the handler; the rest are acknowledged and skipped. */
  types?: string[];
  /** For handlers that run long (builds, rollouts): how long before JetStream redelivers. */
  ackWaitMs?: number;
  maxDeliver?: number;
}

/** Receives events through a durable JetStream consumer: at-least-once, so handlers are idempotent. */
export const OnEvent = (subscription: EventSubscription): MethodDecorator =>
  EventPattern(subscription.durable, { subscription });
