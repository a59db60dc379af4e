import { randomUUID } from 'node:crypto';
import type { NatsConnection } from '@nats-io/transport-node';
import { commandReplySchema, commandSubject, type CommandDefinition, type CommandMetadata, type Context } from '@slipway/proto';
import { CommandRejected } from './command-errors';

export interface SendOptions {
  timeoutMs?: number;
}

/** Fresh metadata for a command that starts a new user action. */
export const newCommandMetadata = (actor: CommandMetadata['actor'], correlationId?: string): CommandMetadata => {
  const commandId = randomUUID();
  return { commandId, correlationId: correlationId ?? commandId, actor, now: new Date().toISOString() };
};

/**
 * Sends a command over NATS request/reply and returns the ids it produced, or throws
 * CommandRejected with the service's reason. Only the gateway sends commands: services react to
 * events instead.
 */
export const sendCommand = async (
  nc: NatsConnection,
  target: Pick<CommandDefinition, 'context' | 'name'> | { context: Context; name: string },
  data: unknown,
  metadata: CommandMetadata,
  options: SendOptions = {},
): Promise<Record<string, unknown>> => {
  let reply;
  try {
    reply = await nc.request(commandSubject(target.context, target.name), JSON.stringify({ data, metadata }), {
      timeout: options.timeoutMs ?? 10_000,
    });
  } catch (err) {
    const kind = (err as Error).name;
    if (kind === 'NoRespondersError' || /no responders/i.test(String(err))) {
      throw new CommandRejected('SERVICE_UNAVAILABLE', `The ${target.context} service is not running; start Slipway with \`npm start\``);
    }
    if (kind === 'TimeoutError') {
      throw new CommandRejected('TIMEOUT', `The ${target.context} service did not answer "${target.name}" in time; check its health`);
    }
    throw err;
  }
  const parsed = commandReplySchema.parse(reply.json());
  if (!parsed.ok) throw new CommandRejected(parsed.error.code, parsed.error.message, parsed.error.field);
  return parsed.result;
};
