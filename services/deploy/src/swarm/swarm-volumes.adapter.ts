import type Dockerode from 'dockerode';
import type { DockerVolumeUsage } from '@slipway/proto';
import { selectorLabel, type SwarmSelector } from './swarm-runtime.adapter';
import { VOLUME_LABEL } from './volume-mounts.plan';

interface DfVolume {
  Name: string;
  Labels?: Record<string, string> | null;
  UsageData?: { Size?: number; RefCount?: number } | null;
}
interface ContainerSummary {
  Id: string;
  State?: string;
}

const labelOf = selectorLabel;
const statusCode = (err: unknown) => (err as { statusCode?: number }).statusCode;

export interface VolumeRemoval {
  removed: string[];
  /** Still mounted by a running container: removed at a later try. */
  inUse: string[];
}

/**
 * The Docker volumes of Slipway services, found by label: what they hold (Docker's `system df`
 * figures) and their removal. Local volumes: on one node (single-node Swarm; see ADR 0018).
 */
export class SwarmVolumes {
  constructor(private readonly docker: Dockerode) {}

  /** Each volume of the selector, with its size as Docker measured it. */
  async usage(selector: SwarmSelector): Promise<DockerVolumeUsage[]> {
    const label = labelOf(selector).split('=');
    const df = (await this.docker.df()) as { Volumes?: DfVolume[] | null };
    return (df.Volumes ?? [])
      .filter((v) => v.Labels?.[label[0]] === label[1] && v.Labels?.[VOLUME_LABEL])
      .map((v) => ({
        name: v.Labels![VOLUME_LABEL],
        dockerVolume: v.Name,
        sizeBytes: typeof v.UsageData?.Size === 'number' && v.UsageData.Size >= 0 ? v.UsageData.Size : null,
        usedBy: Math.max(0, v.UsageData?.RefCount ?? 0),
      }))
      .sort((a, b) => a.name.localeCompare(b.name));
  }

  /** The names of the selector's Docker volumes. */
  async names(selector: SwarmSelector): Promise<{ dockerVolume: string; name: string }[]> {
    const { Volumes } = (await this.docker.listVolumes({ filters: { label: [labelOf(selector), VOLUME_LABEL] } } as never)) as unknown as { Volumes?: DfVolume[] | null };
    return (Volumes ?? []).map((v) => ({ dockerVolume: v.Name, name: v.Labels?.[VOLUME_LABEL] ?? v.Name }));
  }

  /**
   * Removes the selector's volumes except those `keep` names (Slipway names). Containers of
   * ended tasks still hold a volume (Swarm keeps a few for its history): they go first; one a
   * running container mounts stays and is reported in use.
   */
  async remove(selector: SwarmSelector, keep: ReadonlySet<string> = new Set()): Promise<VolumeRemoval> {
    const result: VolumeRemoval = { removed: [], inUse: [] };
    for (const { dockerVolume, name } of await this.names(selector)) {
      if (keep.has(name)) continue;
      const users = (await this.docker.listContainers({ all: true, filters: { volume: [dockerVolume] } })) as ContainerSummary[];
      if (users.some((c) => c.State === 'running' || c.State === 'restarting' || c.State === 'created')) {
        result.inUse.push(dockerVolume);
        continue;
      }
      for (const c of users) await this.docker.getContainer(c.Id).remove({ force: true }).catch((err) => statusCode(err) === 404 || Promise.reject(err));
      try {
        await this.docker.getVolume(dockerVolume).remove();
        result.removed.push(dockerVolume);
      } catch (err) {
        if (statusCode(err) === 404) continue;
        if (statusCode(err) === 409) result.inUse.push(dockerVolume);
        else throw err;
      }
    }
    return result;
  }
}
