import { z } from 'zod';
import { defineCommand } from './commands';
import { id } from './events/common';
import { volumeMountPath, volumeName } from './events/service-spec';

/** Named volumes of a service (project context); the next deployment applies them. */
export const AddVolume = defineCommand('project', 'add-volume', z.object({ projectId: id, serviceId: id, name: volumeName, mountPath: volumeMountPath }));
export const RemoveVolume = defineCommand('project', 'remove-volume', z.object({ projectId: id, serviceId: id, name: volumeName }));

/**
 * What Docker holds of a service's volumes (name, size), asked of the deploy service, the one
 * with Docker: a read, no event. Answers `{ volumes: DockerVolumeUsage[] }`.
 */
export const ListServiceVolumes = defineCommand('deploy', 'list-service-volumes', z.object({ projectId: id, serviceId: id }));
export interface DockerVolumeUsage {
  /** The Slipway volume's name (the `slipway.volume` label). */
  name: string;
  dockerVolume: string;
  /** Docker's own figure (`docker system df -v`); null while Docker has not measured it. */
  sizeBytes: number | null;
  /** Containers (running or stopped) that use it. */
  usedBy: number;
}

export const volumeCommands = [AddVolume, RemoveVolume, ListServiceVolumes] as const;
