import type Dockerode from 'dockerode';
import { registryAuthFor } from '@slipway/secret-box';
import { removeService } from './swarm-rollout.adapter';

/** Which Swarm services: one Slipway service's (all names it ran under), a whole project's, or a preview's copies. */
export type SwarmSelector = { service: string } | { project: string } | { preview: string };

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
const messageOf = (err: unknown) => ((err as { json?: { message?: string } }).json?.message ?? (err as Error).message ?? String(err)).trim();
export const selectorLabel = (selector: SwarmSelector) =>
  'service' in selector ? `slipway.service=${selector.service}` : 'project' in selector ? `slipway.project=${selector.project}` : `slipway.preview=${selector.preview}`;
const labelOf = selectorLabel;

/**
 * A deployed service's runtime without a new deployment: its replicas (stop, start, scale), new
 * tasks on the same image (restart), and removal (delete). Found by label, so a renamed service's
 * Swarm service is found too. Nothing deployed yet: nothing to do.
 */
export class SwarmRuntime {
  constructor(private readonly docker: Dockerode) {}

  /** The Swarm services of a selector, by name. */
  async services(selector: SwarmSelector): Promise<Dockerode.Service[]> {
    return (await this.docker.listServices({ filters: { label: [labelOf(selector)] } })) as Dockerode.Service[];
  }

  /** Replicas to `replicas` now (0 stops it): only the count changes, so Swarm starts or stops tasks and rolls nothing. */
  async scale(selector: SwarmSelector, replicas: number): Promise<string[]> {
    const changed: string[] = [];
    for (const service of await this.services(selector)) {
      const done = await this.update(service.ID, (spec) => {
        if ((spec.Mode?.Replicated?.Replicas ?? 1) === replicas) return undefined;
        return { ...spec, Mode: { Replicated: { Replicas: replicas } } };
      });
      if (done) changed.push(service.Spec?.Name ?? service.ID);
    }
    return changed;
  }

  /**
   * New tasks from the same spec: `ForceUpdate` goes up by one, and the service's update order
   * (start-first) starts each new task, waits until it is healthy, then stops an old one.
   */
  async restart(selector: SwarmSelector): Promise<string[]> {
    const restarted: string[] = [];
    for (const service of await this.services(selector)) {
      await this.update(service.ID, (spec) => {
        const template = spec.TaskTemplate as Dockerode.ContainerTaskSpec & { ForceUpdate?: number };
        return { ...spec, TaskTemplate: { ...template, ForceUpdate: (template.ForceUpdate ?? 0) + 1 } };
      });
      restarted.push(service.Spec?.Name ?? service.ID);
    }
    return restarted;
  }

  /**
   * Removes the services, all at once, and waits (bounded) until their containers are gone; `except`
   * keeps one by name. `kill`: what is thrown away (a closed preview) gets no grace period.
   */
  async remove(selector: SwarmSelector, except?: string, options: { kill?: boolean } = {}): Promise<string[]> {
    const names = (await this.services(selector)).map((s) => s.Spec?.Name ?? s.ID).filter((name) => name !== except);
    await Promise.all(names.map((name) => removeService(this.docker, name, options)));
    return names;
  }

  /**
   * Removes a project's network once nothing else is on it. The edge leaves it first (the routing
   * service detaches Caddy when the routes go): until then this throws, and the event comes again.
   */
  async removeNetwork(name: string, waitMs = 20_000): Promise<'removed' | 'absent'> {
    const until = Date.now() + waitMs;
    for (;;) {
      try {
        await this.docker.getNetwork(name).remove();
        return 'removed';
      } catch (err) {
        const status = (err as { statusCode?: number }).statusCode;
        if (status === 404) return 'absent';
        if (Date.now() > until) throw new Error(`network ${name} is still in use (${messageOf(err)}); it is removed once the edge has left it`);
        await sleep(500);
      }
    }
  }

  /** `service.update` at the version read; `change` returns undefined when there is nothing to do. Retried once on a concurrent update. */
  private async update(id: string, change: (spec: Dockerode.ServiceSpec) => Dockerode.ServiceSpec | undefined): Promise<boolean> {
    for (let attempt = 1; ; attempt++) {
      const current = (await this.docker.getService(id).inspect()) as Dockerode.Service;
      const next = change(current.Spec!);
      if (!next) return false;
      try {
        await this.docker.getService(id).update({ _query: { version: current.Version?.Index }, _body: next, authconfig: pullAuth(next) } as never);
        return true;
      } catch (err) {
        if (attempt >= 3 || !/out of sequence/i.test(messageOf(err))) throw err;
      }
    }
  }
}

/** Swarm pulls from Slipway's registry as the deploy service when it starts tasks (scale up, restart). */
const pullAuth = (spec: Dockerode.ServiceSpec) =>
  registryAuthFor('deploy', (spec.TaskTemplate as Dockerode.ContainerTaskSpec | undefined)?.ContainerSpec?.Image ?? '');
