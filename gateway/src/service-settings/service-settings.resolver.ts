import { GraphQLError } from 'graphql';
import { CommandRejected, newCommandMetadata, sendCommand } from '@slipway/messaging';
import {
  AddDomain,
  envValue,
  RemoveDomain,
  RemoveEnvVar,
  SetEnvVar,
  UpdateServiceSettings,
  type EnvVarTarget,
  type ServiceSettingsInput,
} from '@slipway/proto';
import { sealFor } from '@slipway/secret-box';
import { badInput } from '../command-errors';
import type { GatewayContext } from '../gateway-context';
import { live, type ProjectView, type ServiceView } from '../projects/projects.projection';
import { callerStandingOf, sourceOf } from '../projects/projects.resolver';
import { strip } from '../read-models/projection-runner';
import { awaitPosition } from './await-position';
import { emptyEnvVarList, envVarListId, type EnvVarListView, type EnvVarScope } from './env-vars.projection';

/** Positions in the read models are kept per <context>_<aggregate> (read-models/projection.ts). */
const PROJECT_STREAMS = 'project_project';
const INSTANCE_STREAM = 'project_instance';

type EnvLevel = Exclude<EnvVarTarget, { scope: 'global' }>;
type GraphqlSource = Parameters<typeof sourceOf>[0]['source'];

interface EnvLevelArgs {
  serviceId?: string | null;
  projectId?: string | null;
  /** The level of preview copies (project-preview, service-preview). */
  preview?: boolean | null;
}
interface UpdateSettingsInput {
  name?: string | null;
  port?: number | null;
  replicas?: number | null;
  cpu?: number | null;
  memoryMb?: number | null;
  healthCheck?: { kind: 'HTTP' | 'TCP' | 'NONE' | 'COMMAND'; path?: string | null } | null;
  dockerfilePath?: string | null;
  buildStrategy?: 'AUTO' | 'DOCKERFILE' | 'NODE' | 'SPA' | 'STATIC' | null;
  source?: GraphqlSource | null;
  command?: string[] | null;
  dependsOn?: string[] | null;
  redeployDependents?: boolean | null;
}

const notFound = (message: string, field: string) => new GraphQLError(message, { extensions: { code: 'NOT_FOUND', field } });

const findService = async (ctx: GatewayContext, serviceId: string, field: string): Promise<ServiceView> => {
  const doc = await (await ctx.readStore.db()).collection<ServiceView & { _id: string }>('services').findOne({ _id: serviceId });
  if (!live(doc)) throw notFound(`No service ${serviceId}`, field);
  return strip(doc) as ServiceView;
};

const findProject = async (ctx: GatewayContext, projectId: string, field: string): Promise<ProjectView> => {
  const doc = await (await ctx.readStore.db()).collection<ProjectView & { _id: string }>('projects').findOne({ _id: projectId });
  if (!live(doc)) throw notFound(`No project ${projectId}`, field);
  return strip(doc) as ProjectView;
};

/** The service's own level when a serviceId is given, else the project's. */
const envLevel = async (ctx: GatewayContext, args: EnvLevelArgs, prefix: string): Promise<EnvLevel> => {
  if (args.serviceId) {
    const service = await findService(ctx, args.serviceId, `${prefix}serviceId`);
    if (args.projectId && args.projectId !== service.projectId) {
      throw badInput(`Service ${service.name} is not in project ${args.projectId}`, `${prefix}projectId`);
    }
    return { scope: args.preview ? 'service-preview' : 'service', projectId: service.projectId, serviceId: service.id };
  }
  if (args.projectId) {
    await findProject(ctx, args.projectId, `${prefix}projectId`);
    return { scope: args.preview ? 'project-preview' : 'project', projectId: args.projectId };
  }
  throw badInput("Give serviceId (the service's own variables) or projectId (the project's)", `${prefix}serviceId`);
};

/**
 * A refused command as a GraphQL error whose `field` names the argument as the caller wrote it:
 * the command's field path (data.settings.port, hostname, …) mapped by `toArgument`.
 */
const refused =
  (toArgument: (field: string) => string) =>
  (err: unknown): never => {
    if (!(err instanceof CommandRejected)) throw err;
    if (!err.field) throw new GraphQLError(err.message, { extensions: { code: err.code } });
    const field = toArgument(err.field.replace(/^data\./, '').replace(/^(target|settings)\./, ''));
    // The message is already in plain words (libs/messaging refusal-wording): only the field is mapped.
    throw new GraphQLError(err.message, { extensions: { code: err.code, field } });
  };
const inInput = (field: string) => `input.${field}`;

/** A secret's value is checked here and sealed for the deploy service, the one that opens it: the bus never carries it in clear. */
const envValueOf = (input: { value: string; secret?: boolean | null }) => {
  if (!input.secret) return { secret: false, value: input.value };
  const checked = envValue.safeParse(input.value);
  if (!checked.success) throw badInput(`The value ${checked.error.issues[0].message}`, 'input.value');
  if (input.value === '') throw badInput('The value is empty: a secret must not be empty', 'input.value');
  return { secret: true, sealedValue: sealFor('deploy', input.value) };
};
/** Commands about a service also carry its project; the caller named only the service. */
const ofService = (prefix: string) => (field: string) => (field === 'projectId' ? 'serviceId' : field === 'serviceId' ? field : `${prefix}${field}`);

const versionOf = (reply: Record<string, unknown>) => (typeof reply.version === 'number' ? reply.version : null);

const envVarList = async (ctx: GatewayContext, target: EnvVarTarget, version: number | null): Promise<EnvVarListView> => {
  const scope = target.scope.toUpperCase().replace('-', '_') as EnvVarScope;
  const projectId = target.scope === 'global' ? null : target.projectId;
  const serviceId = target.scope === 'service' || target.scope === 'service-preview' ? target.serviceId : null;
  const id = envVarListId(scope, { projectId, serviceId });
  const list = await awaitPosition<EnvVarListView>(ctx, 'env_vars', id, scope === 'GLOBAL' ? INSTANCE_STREAM : PROJECT_STREAMS, version);
  if (!list && version !== null) throw new GraphQLError('The variable was changed but the list is not readable yet; query it again in a moment');
  return list ?? emptyEnvVarList(scope, projectId, serviceId);
};

const changedService = async (ctx: GatewayContext, serviceId: string, reply: Record<string, unknown>): Promise<ServiceView> => {
  const view = await awaitPosition<ServiceView>(ctx, 'services', serviceId, PROJECT_STREAMS, versionOf(reply));
  if (!view) throw new GraphQLError(`Service ${serviceId} changed but is not readable yet; query it again in a moment`);
  return view;
};

const hostnameOf = (hostname: string) => hostname.trim().toLowerCase().replace(/\.$/, '');

/** The settings command from the GraphQL input: only what is given; enums as the contracts spell them. */
export const settingsOf = (input: UpdateSettingsInput): ServiceSettingsInput => {
  const settings: ServiceSettingsInput = {};
  if (input.name != null) settings.name = input.name;
  if (input.port != null) settings.port = input.port;
  if (input.replicas != null) settings.replicas = input.replicas;
  if (input.cpu != null) settings.cpu = input.cpu;
  if (input.memoryMb != null) settings.memoryMb = input.memoryMb;
  if (input.healthCheck) {
    const { kind, path } = input.healthCheck;
    if (kind === 'HTTP' && !path) throw badInput('An HTTP health check needs a path, like /healthz', 'input.healthCheck.path');
    // COMMAND keeps the command check a Compose file gave (forms send back what they showed); it is written in the file, not here.
    if (kind !== 'COMMAND') settings.healthCheck = kind === 'HTTP' ? { kind: 'http', path: path! } : { kind: kind === 'TCP' ? 'tcp' : 'none' };
  }
  if (input.dockerfilePath != null) settings.dockerfilePath = input.dockerfilePath;
  if (input.buildStrategy) settings.buildStrategy = input.buildStrategy.toLowerCase() as ServiceSettingsInput['buildStrategy'];
  if (input.source) settings.source = sourceOf({ source: input.source });
  if (input.command != null) settings.command = input.command;
  if (input.dependsOn != null) settings.dependsOn = input.dependsOn;
  if (input.redeployDependents != null) settings.redeployDependents = input.redeployDependents;
  if (Object.keys(settings).length === 0) throw badInput('Give at least one setting to change', 'input');
  return settings;
};

/** One change of a service, whichever mutation names it: the same command, the same rules as createService's. */
const updateService = async (ctx: GatewayContext, serviceId: string, input: UpdateSettingsInput, idArg: string) => {
  const service = await findService(ctx, serviceId, idArg);
  const data = { projectId: service.projectId, serviceId: service.id, settings: settingsOf(input), callerStanding: callerStandingOf(ctx) };
  const toArgument = (field: string) => (field === 'serviceId' || field === 'projectId' ? idArg : `input.${field}`);
  const reply = await sendCommand(ctx.platform.connection, UpdateServiceSettings, data, newCommandMetadata(ctx.actor)).catch(refused(toArgument));
  return changedService(ctx, service.id, reply);
};

export const serviceSettingsResolvers = {
  Query: {
    envVars: async (_: unknown, args: EnvLevelArgs, ctx: GatewayContext) => envVarList(ctx, await envLevel(ctx, args, ''), null),
    globalEnvVars: (_: unknown, __: unknown, ctx: GatewayContext) => envVarList(ctx, { scope: 'global' }, null),
  },
  Mutation: {
    setEnvVar: async (_: unknown, { input }: { input: EnvLevelArgs & { key: string; value: string; secret?: boolean | null } }, ctx: GatewayContext) => {
      const target = await envLevel(ctx, input, 'input.');
      const data = { target, key: input.key, ...envValueOf(input) };
      const reply = await sendCommand(ctx.platform.connection, SetEnvVar, data, newCommandMetadata(ctx.actor)).catch(refused(inInput));
      return envVarList(ctx, target, versionOf(reply));
    },
    deleteEnvVar: async (_: unknown, { input }: { input: EnvLevelArgs & { key: string } }, ctx: GatewayContext) => {
      const target = await envLevel(ctx, input, 'input.');
      const reply = await sendCommand(ctx.platform.connection, RemoveEnvVar, { target, key: input.key }, newCommandMetadata(ctx.actor)).catch(
        refused(inInput),
      );
      return envVarList(ctx, target, versionOf(reply));
    },
    setGlobalEnvVar: async (_: unknown, { input }: { input: { key: string; value: string; secret?: boolean | null } }, ctx: GatewayContext) => {
      const data = { target: { scope: 'global' as const }, key: input.key, ...envValueOf(input) };
      const reply = await sendCommand(ctx.platform.connection, SetEnvVar, data, newCommandMetadata(ctx.actor)).catch(refused(inInput));
      return envVarList(ctx, { scope: 'global' }, versionOf(reply));
    },
    deleteGlobalEnvVar: async (_: unknown, { key }: { key: string }, ctx: GatewayContext) => {
      const reply = await sendCommand(ctx.platform.connection, RemoveEnvVar, { target: { scope: 'global' }, key }, newCommandMetadata(ctx.actor)).catch(
        refused((field) => field),
      );
      return envVarList(ctx, { scope: 'global' }, versionOf(reply));
    },
    addDomain: async (_: unknown, args: { serviceId: string; hostname: string }, ctx: GatewayContext) => {
      const service = await findService(ctx, args.serviceId, 'serviceId');
      const data = { projectId: service.projectId, serviceId: service.id, hostname: hostnameOf(args.hostname) };
      const reply = await sendCommand(ctx.platform.connection, AddDomain, data, newCommandMetadata(ctx.actor)).catch(refused(ofService('')));
      return changedService(ctx, service.id, reply);
    },
    removeDomain: async (_: unknown, args: { serviceId: string; hostname: string }, ctx: GatewayContext) => {
      const service = await findService(ctx, args.serviceId, 'serviceId');
      const data = { projectId: service.projectId, serviceId: service.id, hostname: hostnameOf(args.hostname) };
      const reply = await sendCommand(ctx.platform.connection, RemoveDomain, data, newCommandMetadata(ctx.actor)).catch(refused(ofService('')));
      return changedService(ctx, service.id, reply);
    },
    updateServiceSettings: (_: unknown, args: { serviceId: string; input: UpdateSettingsInput }, ctx: GatewayContext) =>
      updateService(ctx, args.serviceId, args.input, 'serviceId'),
    updateService: (_: unknown, args: { id: string; input: UpdateSettingsInput }, ctx: GatewayContext) => updateService(ctx, args.id, args.input, 'id'),
  },
};
