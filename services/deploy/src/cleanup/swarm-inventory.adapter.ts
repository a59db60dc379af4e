import type Dockerode from 'dockerode';
import { removeService } from '../swarm/swarm-rollout.adapter';
import type { NetworkSeen, SwarmServiceSeen } from './cleanup-plan';

const messageOf = (err: unknown) => ((err as { json?: { message?: string } }).json?.message ?? (err as Error).message ?? String(err)).trim();

/** Swarm as the clean-up sees it: every service and swarm network with its labels, and their removal. */
export class SwarmInventory {
  constructor(private readonly docker: Dockerode) {}

  async services(): Promise<SwarmServiceSeen[]> {
    return (await this.docker.listServices()).map((s) => {
      const task = s.Spec?.TaskTemplate as Dockerode.ContainerTaskSpec | undefined;
      return {
        name: s.Spec?.Name ?? s.ID,
        labels: s.Spec?.Labels ?? {},
        createdAt: s.CreatedAt ?? new Date(0).toISOString(),
        image: task?.ContainerSpec?.Image,
        networks: [...(task?.Networks ?? []), ...(s.Spec?.Networks ?? [])].map((n) => n.Target ?? '').filter(Boolean),
      };
    });
  }

  async networks(): Promise<NetworkSeen[]> {
    return (await this.docker.listNetworks({ filters: { scope: ['swarm'] } })).map((n) => ({ id: n.Id, name: n.Name, labels: n.Labels ?? {}, createdAt: n.Created ?? new Date(0).toISOString() }));
  }

  /** Removed with its containers (an orphan's tasks get no grace period: nothing routes to them). */
  async removeService(name: string): Promise<void> {
    await removeService(this.docker, name, { kill: true });
  }

  /** 'in use' when something (the edge, a container) is still attached: left for the next run. */
  async removeNetwork(name: string): Promise<'removed' | 'absent' | string> {
    try {
      await this.docker.getNetwork(name).remove();
      return 'removed';
    } catch (err) {
      if ((err as { statusCode?: number }).statusCode === 404) return 'absent';
      return `still in use (${messageOf(err)})`;
    }
  }
}
