import { z } from 'zod';
import { defineCommand } from './commands';
import { id } from './events/common';
import { serviceSpec } from './events/service-spec';

/** A service's life after creation (project context): the deploy and routing services follow its events. */
const aService = { projectId: id, serviceId: id };
/** Volumes are removed only when asked: data outlives a service unless its owner says otherwise. */
const deleteVolumes = z.boolean();

export const StopService = defineCommand('project', 'stop-service', z.object(aService));
export const StartService = defineCommand('project', 'start-service', z.object(aService));
export const RestartService = defineCommand('project', 'restart-service', z.object(aService));
export const ScaleService = defineCommand('project', 'scale-service', z.object({ ...aService, replicas: serviceSpec.shape.replicas }));
export const DeleteService = defineCommand('project', 'delete-service', z.object({ ...aService, deleteVolumes }));
export const DeleteProject = defineCommand('project', 'delete-project', z.object({ projectId: id, deleteVolumes }));

export const lifecycleCommands = [StopService, StartService, RestartService, ScaleService, DeleteService, DeleteProject] as const;
