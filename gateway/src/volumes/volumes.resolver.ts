import { GraphQLError } from 'graphql';
import { CommandRejected, newCommandMetadata, sendCommand } from '@slipway/messaging';
import { AddVolume, ListServiceVolumes, RemoveVolume, type DockerVolumeUsage } from '@slipway/proto';
import { onProject, projectOfService, type OperationRules } from '../auth/operation-rules';
import type { GatewayContext } from '../gateway-context';
import { live, type ServiceView } from '../projects/projects.projection';
import { strip } from '../read-models/projection-runner';
import { awaitPosition } from '../service-settings/await-position';

interface VolumeView {
  name: string;
  mountPath: string;
  dockerVolume: string | null;
  sizeBytes: number | null;
  state: 'MOUNTED' | 'REMOVING';
}

/** The service's volumes (read model) beside what Docker holds of them (the deploy service's answer). */
export const volumesOf = (service: Pick<ServiceView, 'volumes'>, docker: readonly DockerVolumeUsage[]): VolumeView[] => {
  const inDocker = new Map(docker.map((d) => [d.name, d]));
  const mounted = (service.volumes ?? []).map((v): VolumeView => {
    const found = inDocker.get(v.name);
    return { ...v, dockerVolume: found?.dockerVolume ?? null, sizeBytes: found?.sizeBytes ?? null, state: 'MOUNTED' };
  });
  const names = new Set(mounted.map((v) => v.name));
  const removing = docker
    .filter((d) => !names.has(d.name))
    .map((d): VolumeView => ({ name: d.name, mountPath: '', dockerVolume: d.dockerVolume, sizeBytes: d.sizeBytes, state: 'REMOVING' }));
  return [...mounted, ...removing];
};

const findService = async (ctx: GatewayContext, serviceId: string): Promise<ServiceView> => {
  const doc = await (await ctx.readStore.db()).collection<ServiceView & { _id: string }>('services').findOne({ _id: serviceId });
  if (!live(doc)) throw new GraphQLError(`No service ${serviceId}`, { extensions: { code: 'NOT_FOUND', field: 'serviceId' } });
  return strip(doc) as ServiceView;
};

/** Field names as the caller wrote them: the command's projectId is the caller's serviceId. */
const refused = (err: unknown): never => {
  if (!(err instanceof CommandRejected)) throw err;
  const field = err.field?.replace(/^data\./, '');
  throw new GraphQLError(err.message, { extensions: { code: err.code, ...(field ? { field: field === 'projectId' ? 'serviceId' : field } : {}) } });
};

const changed = async (ctx: GatewayContext, serviceId: string, reply: Record<string, unknown>) => {
  const version = typeof reply.version === 'number' ? reply.version : null;
  const view = await awaitPosition<ServiceView>(ctx, 'services', serviceId, 'project_project', version);
  if (!view) throw new GraphQLError(`Service ${serviceId} changed but is not readable yet; query it again in a moment`);
  return view;
};

export const volumesResolvers = {
  Query: {
    /** Sizes come from Docker through the deploy service; without an answer the volumes are still listed. */
    volumes: async (_: unknown, args: { serviceId: string }, ctx: GatewayContext) => {
      const service = await findService(ctx, args.serviceId);
      const reply = await sendCommand(ctx.platform.connection, ListServiceVolumes, { projectId: service.projectId, serviceId: service.id }, newCommandMetadata(ctx.actor)).catch(
        () => ({ volumes: [] }),
      );
      return volumesOf(service, (reply as { volumes?: DockerVolumeUsage[] }).volumes ?? []);
    },
  },
  Mutation: {
    addVolume: async (_: unknown, args: { serviceId: string; name: string; mountPath: string }, ctx: GatewayContext) => {
      const service = await findService(ctx, args.serviceId);
      const data = { projectId: service.projectId, serviceId: service.id, name: args.name.trim(), mountPath: args.mountPath.trim() };
      return changed(ctx, service.id, await sendCommand(ctx.platform.connection, AddVolume, data, newCommandMetadata(ctx.actor)).catch(refused));
    },
    removeVolume: async (_: unknown, args: { serviceId: string; name: string }, ctx: GatewayContext) => {
      const service = await findService(ctx, args.serviceId);
      const data = { projectId: service.projectId, serviceId: service.id, name: args.name.trim() };
      return changed(ctx, service.id, await sendCommand(ctx.platform.connection, RemoveVolume, data, newCommandMetadata(ctx.actor)).catch(refused));
    },
  },
};

/** Volumes change what runs and what data is kept: an admin's, like the service's other settings. */
export const volumesRules: OperationRules = {
  'Query.volumes': onProject('read', projectOfService('serviceId')),
  'Mutation.addVolume': onProject('manage-services', projectOfService('serviceId')),
  'Mutation.removeVolume': onProject('manage-services', projectOfService('serviceId')),
};
