import type Dockerode from 'dockerode';
import type { ServiceVolume } from '@slipway/proto';

/** Labels on every Docker volume Slipway makes: found by project or service, and by its Slipway name. */
export const VOLUME_LABEL = 'slipway.volume';

/**
 * The Docker volume of one Slipway volume: unique per project, service and name ("." is in no id
 * and no name, so no two triples share a name), stable across renames of the service.
 */
export const dockerVolumeName = (projectId: string, serviceId: string, name: string): string => `slipway.${projectId}.${serviceId}.${name}`;

/**
 * The service's volumes as Swarm mounts: named local volumes, writable even when the root
 * filesystem is read-only. Docker creates each on the node at the first task that mounts it
 * (labelled, so it is found again), copying what the image has at the path; it outlives the tasks.
 */
export const volumeMounts = (volumes: readonly ServiceVolume[] | undefined, labels: Record<string, string>): Dockerode.MountSettings[] => {
  const projectId = labels['slipway.project'];
  const serviceId = labels['slipway.service'];
  if (!volumes?.length) return [];
  if (!projectId || !serviceId) throw new Error('volumes need the slipway.project and slipway.service labels');
  return volumes.map((volume) => ({
    Type: 'volume',
    Source: dockerVolumeName(projectId, serviceId, volume.name),
    Target: volume.mountPath,
    ReadOnly: false,
    VolumeOptions: {
      Labels: {
        'slipway.project': projectId,
        'slipway.service': serviceId,
        [VOLUME_LABEL]: volume.name,
        'slipway.managed': 'true',
        // A preview copy's volumes (their own: the copy's service id differs) go with the preview.
        ...(labels['slipway.preview'] ? { 'slipway.preview': labels['slipway.preview'] } : {}),
      },
      // Copy what the image has at the path into a new volume (with its owner: a non-root app can write there).
      NoCopy: false,
      DriverConfig: { Name: 'local', Options: {} },
    },
  }));
};
