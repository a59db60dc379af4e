import { z } from 'zod';
import { defineEvent } from '../event-definition';
import { id } from './common';
import { MAX_VOLUMES, serviceVolume, volumeName } from './service-spec';

/**
 * A service's named volumes, decided with its settings on the project's stream. The next
 * deployment mounts (or detaches) them; the deploy service deletes a removed volume's Docker
 * volume once no task uses it. `volumes` is the whole list after the change.
 */
const inProject = { context: 'project', aggregate: 'project' } as const;
const volumes = z.array(serviceVolume).max(MAX_VOLUMES);

export const ServiceVolumeAdded = defineEvent(
  'ServiceVolumeAdded',
  inProject,
  z.object({ projectId: id, serviceId: id, volume: serviceVolume, volumes }),
);
export const ServiceVolumeRemoved = defineEvent(
  'ServiceVolumeRemoved',
  inProject,
  z.object({ projectId: id, serviceId: id, name: volumeName, volumes }),
);

export const volumeEvents = [ServiceVolumeAdded, ServiceVolumeRemoved] as const;
