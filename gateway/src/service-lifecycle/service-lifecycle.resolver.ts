import { GraphQLError } from 'graphql';
import { CommandRejected, newCommandMetadata, sendCommand } from '@slipway/messaging';
import { CancelDeployment, CheckServiceChange, DeleteProject, DeleteService, RestartService, ScaleService, StartService, StopService, type CommandDefinition } from '@slipway/proto';
import type { DeploymentView } from '../deployments/deployments.projection';
import type { GatewayContext } from '../gateway-context';
import { live, type ServiceView } from '../projects/projects.projection';
import { awaitView } from '../read-models/await-view';
import { strip } from '../read-models/projection-runner';
import { awaitPosition } from '../service-settings/await-position';

/** Positions in the read models are kept per <context>_<aggregate> (read-models/projection.ts). */
const PROJECT_STREAMS = 'project_project';
const FINAL = ['SUCCEEDED', 'FAILED', 'CANCELLED', 'BLOCKED'];

const notFound = (message: string, field: string) => new GraphQLError(message, { extensions: { code: 'NOT_FOUND', field } });

/** A refusal in the caller's words, naming the argument they gave (the command's ids are all `id` here). */
const refused = (err: unknown): never => {
  if (!(err instanceof CommandRejected)) throw err;
  const field = !err.field || /^(data\.)?(projectId|serviceId|deploymentId)$/.test(err.field) ? 'id' : err.field.replace(/^data\./, '');
  throw new GraphQLError(err.message, { extensions: { code: err.code, field } });
};

const findService = async (ctx: GatewayContext, id: string): Promise<ServiceView> => {
  const doc = await (await ctx.readStore.db()).collection<ServiceView & { _id: string }>('services').findOne({ _id: id });
  if (!live(doc)) throw notFound(`No service ${id}`, 'id');
  return strip(doc) as ServiceView;
};

/**
 * A start or a scale runs replicas: the quota service says first whether they fit the project's
 * limits and the machine (refused: "Over quota: …"); it follows the change's event afterwards.
 */
const checkQuota = async (ctx: GatewayContext, service: ServiceView, replicas: number) => {
  const project = await (await ctx.readStore.db()).collection<{ _id: string; name: string }>('projects').findOne({ _id: service.projectId });
  const resources = { cpu: service.cpu, memoryMb: service.memoryMb, replicas };
  await sendCommand(ctx.platform.connection, CheckServiceChange, { projectId: service.projectId, serviceId: service.id, projectName: project?.name ?? service.projectId, resources }, newCommandMetadata(ctx.actor)).catch(refused);
};

/** Sends a command about a service and answers the service as its read model shows the change. */
const changeService = async (ctx: GatewayContext, id: string, command: CommandDefinition, extra: Record<string, unknown> = {}) => {
  const service = await findService(ctx, id);
  const replicas = Number(extra.replicas);
  // Out of range: the project service refuses it in its own words.
  if (command === ScaleService && Number.isInteger(replicas) && replicas >= 1 && replicas <= 10) await checkQuota(ctx, service, replicas);
  if (command === StartService && service.stopped) await checkQuota(ctx, service, service.replicas);
  const reply = await sendCommand(ctx.platform.connection, command, { projectId: service.projectId, serviceId: service.id, ...extra }, newCommandMetadata(ctx.actor)).catch(refused);
  const version = typeof reply.version === 'number' ? reply.version : null;
  const view = await awaitPosition<ServiceView>(ctx, 'services', service.id, PROJECT_STREAMS, version);
  if (!view) throw new GraphQLError(`Service ${service.name} changed but is not readable yet; query it again in a moment`);
  return view;
};

export const serviceLifecycleResolvers = {
  Service: {
    state: (service: ServiceView) => (service.stopped ? 'STOPPED' : 'RUNNING'),
    command: (service: ServiceView) => service.command ?? [],
  },
  Mutation: {
    stopService: (_: unknown, { id }: { id: string }, ctx: GatewayContext) => changeService(ctx, id, StopService),
    startService: (_: unknown, { id }: { id: string }, ctx: GatewayContext) => changeService(ctx, id, StartService),
    restartService: (_: unknown, { id }: { id: string }, ctx: GatewayContext) => changeService(ctx, id, RestartService),
    scaleService: (_: unknown, { id, replicas }: { id: string; replicas: number }, ctx: GatewayContext) => changeService(ctx, id, ScaleService, { replicas }),
    deleteService: async (_: unknown, { id, deleteVolumes }: { id: string; deleteVolumes?: boolean | null }, ctx: GatewayContext) => {
      const service = await findService(ctx, id);
      await sendCommand(ctx.platform.connection, DeleteService, { projectId: service.projectId, serviceId: id, deleteVolumes: deleteVolumes ?? false }, newCommandMetadata(ctx.actor)).catch(refused);
      await awaitView<ServiceView>(ctx, 'services', id, (s) => !live(s));
      return id;
    },
    deleteProject: async (_: unknown, { id, deleteVolumes }: { id: string; deleteVolumes?: boolean | null }, ctx: GatewayContext) => {
      await sendCommand(ctx.platform.connection, DeleteProject, { projectId: id, deleteVolumes: deleteVolumes ?? false }, newCommandMetadata(ctx.actor)).catch(refused);
      await awaitView<{ deletedAt?: string }>(ctx, 'projects', id, (p) => !live(p));
      return id;
    },
    cancelDeployment: async (_: unknown, { id }: { id: string }, ctx: GatewayContext) => {
      await sendCommand(ctx.platform.connection, CancelDeployment, { deploymentId: id }, newCommandMetadata(ctx.actor)).catch(refused);
      const view = await awaitView<DeploymentView>(ctx, 'deployments', id, (d) => FINAL.includes(d.status));
      if (!view) throw notFound(`No deployment ${id}`, 'id');
      return view;
    },
  },
};
