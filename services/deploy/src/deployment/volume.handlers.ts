import { Controller, Inject, Logger } from '@nestjs/common';
import { Payload } from '@nestjs/microservices';
import { RedeliverLater, type StoredEvent } from '@slipway/event-store';
import { Command, OnEvent, PlatformConnection, type CommandPayload } from '@slipway/messaging';
import { ListServiceVolumes } from '@slipway/proto';
import type { SwarmSelector } from '../swarm/swarm-runtime.adapter';
import { SwarmVolumes } from '../swarm/swarm-volumes.adapter';
import { deployments } from './deployment.aggregate';
import { loadCatalog } from './service-catalog';

const DETACHED = 'deploy-volumes-on-deployment-succeeded';
const DELETED = 'deploy-volumes-on-service-deleted';
/** Old tasks stop within their grace period (10 s); a few tries cover a slow node. */
const RETRY_MS = 5_000;

/**
 * A service's Docker volumes: their sizes for the API, and their removal — only when asked
 * (removeVolume, then the next deployment detaches it; delete with deleteVolumes: true).
 */
@Controller()
export class VolumeHandlers {
  private readonly log = new Logger('volumes');

  constructor(
    @Inject(PlatformConnection) private readonly platform: PlatformConnection,
    @Inject(SwarmVolumes) private readonly volumes: SwarmVolumes,
  ) {}

  @Command(ListServiceVolumes)
  async listServiceVolumes(@Payload() { data }: CommandPayload<{ projectId: string; serviceId: string }>) {
    return { volumes: await this.volumes.usage({ service: data.serviceId }) };
  }

  /**
   * Once a deployment serves, the volumes it does not mount (removed from the service) go — unless
   * the service has one of that name again meanwhile. Old tasks may still be stopping: tried again.
   */
  @OnEvent({ durable: DETACHED, context: 'deploy', aggregate: 'deployment', types: ['DeploymentSucceeded'], maxDeliver: 30 })
  async onDeploymentSucceeded(@Payload() event: StoredEvent) {
    const { state } = await deployments.load(this.platform.store, event.aggregateId);
    if (state.status === 'none') return;
    const { serviceId, projectId, spec } = state.request;
    const catalog = await loadCatalog(this.platform.store, projectId);
    const current = catalog.services.get(serviceId)?.spec.volumes ?? [];
    const keep = new Set([...(spec.volumes ?? []), ...current].map((v) => v.name));
    await this.remove({ service: serviceId }, keep, `${serviceId}: detached`);
  }

  @OnEvent({ durable: DELETED, context: 'project', aggregate: 'project', types: ['ServiceDeleted', 'ProjectDeleted'], maxDeliver: 30 })
  async onDeleted(@Payload() event: StoredEvent) {
    const selector: SwarmSelector = event.type === 'ServiceDeleted' ? { service: String(event.data.serviceId) } : { project: String(event.data.projectId) };
    const what = 'service' in selector ? `service ${event.data.name}` : `project ${event.data.name}`;
    if (event.data.deleteVolumes !== true) {
      const kept = await this.volumes.names(selector);
      if (kept.length) this.log.log(`${what} deleted; its volumes are kept (deleteVolumes: false): ${kept.map((v) => v.dockerVolume).join(', ')}`);
      return;
    }
    await this.remove(selector, new Set(), `${what} deleted with its volumes:`);
  }

  /** Removes what it can; a volume a running task still mounts makes the event come again. */
  private async remove(selector: SwarmSelector, keep: ReadonlySet<string>, what: string) {
    const { removed, inUse } = await this.volumes.remove(selector, keep);
    if (removed.length) this.log.log(`${what} removed volume(s) ${removed.join(', ')}`);
    if (inUse.length) throw new RedeliverLater(RETRY_MS, `volume(s) ${inUse.join(', ')} still mounted by a running task`);
  }
}
