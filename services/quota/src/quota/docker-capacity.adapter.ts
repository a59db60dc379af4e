import type Dockerode from 'dockerode';
import type { Capacity } from './quota-check';

const MIB = 1024 * 1024;

/** The machine's CPUs and memory as Docker reports them, and the memory Swarm reserves for Slipway's running services. */
export class DockerCapacity {
  constructor(private readonly docker: Dockerode) {}

  /** `except`: the Swarm service being replaced or changed (label slipway.service), whose reservation is given back. */
  async capacity(except?: string): Promise<Capacity> {
    const [info, services] = await Promise.all([
      this.docker.info() as Promise<{ NCPU: number; MemTotal: number }>,
      this.docker.listServices({ filters: JSON.stringify({ label: ['slipway.service'] }) }),
    ]);
    let reserved = 0;
    for (const s of services) {
      if (except && s.Spec?.Labels?.['slipway.service'] === except) continue;
      const replicas = s.Spec?.Mode?.Replicated?.Replicas ?? 0;
      const memory = s.Spec?.TaskTemplate && 'Resources' in s.Spec.TaskTemplate ? (s.Spec.TaskTemplate.Resources?.Reservations?.MemoryBytes ?? 0) : 0;
      reserved += (memory * replicas) / MIB;
    }
    return { cpus: info.NCPU, memoryMb: info.MemTotal / MIB, reservedMemoryMb: reserved };
  }
}
