import {
  commandMessageSchema,
  describeZodError,
  InvalidEventPayload,
  type CommandDefinition,
  type CommandMetadata,
  type CommandReply,
} from '@slipway/proto';
import { WrongExpectedVersion } from '@slipway/event-store';
import { DomainError } from './command-errors';
import { plainRefusal } from './refusal-wording';

export type CommandHandlerFn = (data: Record<string, unknown>, metadata: CommandMetadata) => Promise<Record<string, unknown>>;

export interface RegisteredCommand {
  definition: CommandDefinition;
  handle: CommandHandlerFn;
}

const refuse = (code: string, message: string, field?: string): CommandReply => ({
  ok: false,
  error: field ? { code, message, field } : { code, message },
});

/**
 * Turns one raw command message into a reply. Malformed JSON, a bad envelope, an unknown name or
 * data that fails the command's schema are refused before any handler runs, so nothing is appended.
 */
export const dispatchCommand = async (
  context: string,
  name: string,
  raw: string,
  commands: ReadonlyMap<string, RegisteredCommand>,
): Promise<CommandReply> => {
  const command = commands.get(name);
  if (!command) {
    const known = [...commands.keys()].sort().join(', ') || 'none';
    return refuse('UNKNOWN_COMMAND', `The ${context} service has no command "${name}" (it knows: ${known})`);
  }
  let body: unknown;
  try {
    body = JSON.parse(raw);
  } catch {
    return refuse('MALFORMED_COMMAND', `Command "${name}" is not valid JSON`);
  }
  const message = commandMessageSchema.safeParse(body);
  if (!message.success) {
    const { field, problem } = describeZodError(message.error);
    return refuse('MALFORMED_COMMAND', `Command "${name}": ${field} ${problem}`, field);
  }
  const data = command.definition.schema.safeParse(message.data.data);
  if (!data.success) {
    const { field, problem } = describeZodError(data.error);
    // Worded for the person who typed the value; the command's name and path stay out of it.
    return refuse('INVALID_COMMAND', plainRefusal(field, problem), `data.${field}`);
  }
  try {
    return { ok: true, result: await command.handle(data.data as Record<string, unknown>, message.data.metadata) };
  } catch (err) {
    if (err instanceof DomainError) return refuse(err.code, err.message, err.field);
    if (err instanceof InvalidEventPayload) return refuse(err.code, plainRefusal(err.field, err.problem), err.field);
    if (err instanceof WrongExpectedVersion) return refuse(err.code, `${err.message}; try again`);
    const code = (err as { code?: unknown }).code;
    return refuse(typeof code === 'string' ? code : 'INTERNAL', err instanceof Error ? err.message : String(err));
  }
};
