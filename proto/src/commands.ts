import { z } from 'zod';
import { actorSchema } from './envelope';
import { dnsLabel, id } from './events/common';
import { customDomain, plainEnvVar, sealedSecret, serviceSpec, type SecretOpenerName } from './events/service-spec';
import { deploymentTrigger } from './events/deploy.events';
import { PullRequestReceived } from './events/preview.events';
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
export const defineCommand = <Name extends string, Data extends z.ZodObject>(
  context: Context,
  name: Name,
  schema: Data,
): CommandDefinition<Name, Data> => ({ context, name, schema });

export const RequestDeployment = defineCommand(
  'deploy',
  'request-deployment',
  z.object({ deploymentId: id, serviceId: id, projectId: id, trigger: deploymentTrigger.optional() }),
);
export const CancelDeployment = defineCommand('deploy', 'cancel-deployment', z.object({ deploymentId: id }));

/** Deploys every running service of the project, each after the services it depends on (issue 11). */
export const DeployProject = defineCommand('deploy', 'deploy-project', z.object({ projectId: id }));

export const deployCommands = [RequestDeployment, CancelDeployment, DeployProject] as const;

/** The reply to every command: the ids the caller needs, or a typed domain error it can show. */
export const commandReplySchema = z.discriminatedUnion('ok', [
  z.object({ ok: z.literal(true), result: z.record(z.string(), z.unknown()) }),
  z.object({
    ok: z.literal(false),
    error: z.object({ code: z.string(), message: z.string(), field: z.string().optional() }),
  }),
]);
export type CommandReply = z.infer<typeof commandReplySchema>;

/** A secret in a command: sealed by the gateway for the one service that opens it, never in clear on the bus. */
export const sealedFor = (opener: SecretOpenerName) =>
  sealedSecret.refine((s) => s.for === opener, { message: `must be sealed for the ${opener} service` });

/** Git credentials as a command carries them: sealed for the build service, the one that uses them. */
const sealedGitCredentials = z.discriminatedUnion('kind', [
  z.object({ kind: z.literal('token'), token: sealedFor('build'), previewToken: sealedFor('preview').optional() }),
  z.object({ kind: z.literal('deploy-key'), privateKey: sealedFor('build') }),
]);

/** A service source as a command carries it: any credentials already sealed for the build service. */
export const serviceSourceInput = z.discriminatedUnion('kind', [
  z.object({
    kind: z.literal('git'),
    url: z.string().min(1).max(2048),
    ref: z.string().min(1).max(255),
    credentials: sealedGitCredentials.optional(),
  }),
  serviceSpec.shape.source.options[1],
  serviceSpec.shape.source.options[2],
]);
export type ServiceSourceInput = z.infer<typeof serviceSourceInput>;

export const serviceSpecInput = serviceSpec.extend({
  source: serviceSourceInput,
  /** Given at creation: plain values (secrets are set afterwards, one by one, sealed). */
  env: z.array(plainEnvVar).max(500),
  /** The same rule as addDomain's: one check wherever a domain is set. */
  domains: z.array(customDomain).max(50),
});
export type ServiceSpecInput = z.infer<typeof serviceSpecInput>;

/**
 * Who the gateway found the caller to be, for the rules only the instance owner is exempt from
 * (a local repository as a source). Only the gateway sends commands; absent means a member.
 */
export const callerStanding = z.enum(['instance-owner', 'member']);
export type CallerStanding = z.infer<typeof callerStanding>;

export const CreateProject = defineCommand('project', 'create-project', z.object({ projectId: id, name: dnsLabel }));
export const CreateService = defineCommand(
  'project',
  'create-service',
  z.object({ projectId: id, serviceId: id, name: dnsLabel, spec: serviceSpecInput, callerStanding: callerStanding.optional() }),
);
export const projectCommands = [CreateProject, CreateService] as const;

export const SetWebhookSecret = defineCommand(
  'project',
  'set-webhook-secret',
  z.object({ projectId: id, secret: sealedFor('gateway') }),
);

/** The gateway's webhook receiver hands a pull request event to the preview service as it is. */
export const RecordPullRequest = defineCommand('preview', 'record-pull-request', PullRequestReceived.latest);
