import { z } from 'zod';
import { actorSchema } from './envelope';
import { id } from './events/common';
import type { Context } from './subjects';

/**
 * Time, ids and the acting user come in with the command, so deciders stay deterministic and a
 * redelivered command derives the same event ids (and so never appends twice).
 */
export const commandMetadataSchema = z.object({
  commandId: z.uuid(),
  correlationId: z.string().min(1),
  causationId: z.string().min(1).optional(),
  actor: actorSchema,
  now: z.iso.datetime(),
});
export type CommandMetadata = z.infer<typeof commandMetadataSchema>;

/** What travels on platform.<context>.commands.<name>; `data` is checked by the command's schema. */
export const commandMessageSchema = z.object({
  data: z.unknown(),
  metadata: commandMetadataSchema,
});
export type CommandMessage = z.infer<typeof commandMessageSchema>;

export interface CommandDefinition<Name extends string = string, Data extends z.ZodObject = z.ZodObject> {
  context: Context;
  name: Name;
  schema: Data;
}
const defineCommand = <Name extends string, Data extends z.ZodObject>(
  context: Context,
  name: Name,
  schema: Data,
): CommandDefinition<Name, Data> => ({ context, name, schema });

export const RequestDeployment = defineCommand(
  'deploy',
  'request-deployment',
  z.object({ deploymentId: id, serviceId: id, projectId: id }),
);
export const CancelDeployment = defineCommand('deploy', 'cancel-deployment', z.object({ deploymentId: id }));

export const deployCommands = [RequestDeployment, CancelDeployment] as const;

/** The reply to every command: the ids the caller needs, or a typed domain error it can show. */
export const commandReplySchema = z.discriminatedUnion('ok', [
  z.object({ ok: z.literal(true), result: z.record(z.string(), z.unknown()) }),
  z.object({
    ok: z.literal(false),
    error: z.object({ code: z.string(), message: z.string(), field: z.string().optional() }),
  }),
]);
export type CommandReply = z.infer<typeof commandReplySchema>;
