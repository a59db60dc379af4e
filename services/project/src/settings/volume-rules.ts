import { DomainError } from '@slipway/messaging';
import { MAX_VOLUMES, type ServiceVolume } from '@slipway/proto';

const trimmed = (path: string) => path.replace(/\/+$/, '');
/** Two mounts where one holds the other hide each other's files. */
const overlaps = (a: string, b: string) => a === b || a.startsWith(`${b}/`) || b.startsWith(`${a}/`);

/**
 * The service's volumes with `volume` added; undefined when it already has exactly that one (a
 * retried request succeeds). Refused in the user's words: a name taken for another path, a path
 * another volume covers, or more than MAX_VOLUMES.
 */
export const addedVolumes = (service: { name: string; settings: { volumes?: ServiceVolume[] } }, volume: ServiceVolume): ServiceVolume[] | undefined => {
  const volumes = service.settings.volumes ?? [];
  const mountPath = trimmed(volume.mountPath);
  const same = volumes.find((v) => v.name === volume.name);
  if (same && same.mountPath === mountPath) return undefined;
  if (same) {
    throw new DomainError('VOLUME_NAME_TAKEN', `Service ${service.name} already has a volume named ${volume.name}, mounted at ${same.mountPath}: remove it first, or choose another name`, 'name');
  }
  const covering = volumes.find((v) => overlaps(v.mountPath, mountPath));
  if (covering) {
    throw new DomainError('VOLUME_PATH_TAKEN', `Volume ${covering.name} is mounted at ${covering.mountPath}, which overlaps ${mountPath}: choose a path outside it`, 'mountPath');
  }
  if (volumes.length >= MAX_VOLUMES) {
    throw new DomainError('TOO_MANY_VOLUMES', `Service ${service.name} has ${MAX_VOLUMES} volumes already, the most a service may have`, 'name');
  }
  return [...volumes, { name: volume.name, mountPath }];
};

/** The volumes without `name`; undefined when it has none of that name (a retried removal succeeds). */
export const removedVolumes = (volumes: readonly ServiceVolume[], name: string): ServiceVolume[] | undefined =>
  volumes.some((v) => v.name === name) ? volumes.filter((v) => v.name !== name) : undefined;
