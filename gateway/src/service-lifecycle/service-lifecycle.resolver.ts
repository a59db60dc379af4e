import { GraphQLError } from 'graphql';
import { CommandRejected, newCommandMetadata, sendCommand } from '@slipway/messaging';
import { CancelDeployment, DeleteProject, DeleteService, RestartService, ScaleService, StartService, StopService, type CommandDefinition } from '@slipway/proto';
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

/** Sends a command about a service and answers the service as its read model shows the change. */
const changeService = async (ctx: GatewayContext, id: string, command: CommandDefinition, extra: Record<string, unknown> = {}) => {
  const service = await findService(ctx, id);
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
