import { Controller, Inject, Logger } from '@nestjs/common';
import { Payload } from '@nestjs/microservices';
import type { StoredEvent } from '@slipway/event-store';
import { OnEvent, PlatformConnection } from '@slipway/messaging';
import { SwarmRuntime } from '../swarm/swarm-runtime.adapter';
import { deployments } from './deployment.aggregate';
import { RegistryCleanup } from './registry-cleanup.adapter';
import { projectNetwork, swarmNames } from './rollout-runner.handlers';
import { desiredReplicas, loadCatalog } from './service-catalog';

const LIFECYCLE = 'deploy-on-service-lifecycle';
const DELETED = 'deploy-on-service-deleted';
const SUCCEEDED = 'deploy-prune-on-deployment-succeeded';

/**
 * Makes Swarm follow the catalog between deployments: replicas (stop, start, scale) and new tasks
 * (restart) at once, without a build; a deleted service's Swarm services, registry tags and (for a
 * project) network removed. Every handler compares with the catalog as it is now, so a redelivered
 * or late event does what the latest state asks, never what an older one did.
 */
@Controller()
export class ServiceRuntimeHandlers {
  private readonly log = new Logger('service-runtime');

  constructor(
    @Inject(PlatformConnection) private readonly platform: PlatformConnection,
    @Inject(SwarmRuntime) private readonly swarm: SwarmRuntime,
    @Inject(RegistryCleanup) private readonly registry: RegistryCleanup,
  ) {}

  @OnEvent({ durable: LIFECYCLE, context: 'project', aggregate: 'project', types: ['ServiceStopped', 'ServiceStarted', 'ServiceScaled', 'ServiceRestarted'] })
  async onLifecycle(@Payload() event: StoredEvent) {
    const serviceId = String(event.data.serviceId);
    const catalog = await loadCatalog(this.platform.store, String(event.data.projectId));
    const replicas = desiredReplicas(catalog, serviceId);
    if (event.type === 'ServiceRestarted') {
      if (replicas === 0) return; // stopped or deleted since: nothing runs to restart
      const restarted = await this.swarm.restart({ service: serviceId });
      this.log.log(`${serviceId}: restarting ${restarted.join(', ') || '(nothing deployed)'}`);
      return;
    }
    const scaled = await this.swarm.scale({ service: serviceId }, replicas);
    if (scaled.length) this.log.log(`${serviceId}: ${scaled.join(', ')} to ${replicas} replica(s)`);
  }

  @OnEvent({ durable: DELETED, context: 'project', aggregate: 'project', types: ['ServiceDeleted', 'ProjectDeleted'] })
  async onDeleted(@Payload() event: StoredEvent) {
    if (event.type === 'ServiceDeleted') {
      const serviceId = String(event.data.serviceId);
      const removed = await this.swarm.remove({ service: serviceId });
      // Each name the service had has its own repository (a renamed service built under both).
      const catalog = await loadCatalog(this.platform.store, String(event.data.projectId));
      const names = new Set([String(event.data.name), ...this.namesOf(catalog, serviceId)]);
      let tags = 0;
      for (const name of names) tags += await this.registry.deleteRepositories(`${event.data.projectName}/${name}`);
      this.log.log(`service ${serviceId} deleted: removed ${removed.join(', ') || 'no Swarm service'}, ${tags} registry tag(s)`);
      return;
    }
    const projectId = String(event.data.projectId);
    const name = String(event.data.name);
    const removed = await this.swarm.remove({ project: projectId });
    const tags = await this.registry.deleteRepositories(name);
    const network = await this.swarm.removeNetwork(projectNetwork(name));
    this.log.log(`project ${name} deleted: removed ${removed.length} Swarm service(s), ${tags} registry tag(s), network ${network}`);
  }

  /** A renamed service's earlier Swarm service goes once the new one serves (routing points at the new name first). */
  @OnEvent({ durable: SUCCEEDED, context: 'deploy', aggregate: 'deployment', types: ['DeploymentSucceeded'] })
  async onDeploymentSucceeded(@Payload() event: StoredEvent) {
    const { state } = await deployments.load(this.platform.store, event.aggregateId);
    // A preview copy replaces nothing (its Swarm service is labelled with its own id, not the service's).
    if (state.status === 'none' || state.request.trigger.kind === 'preview') return;
    const { swarmService } = swarmNames(state.request.projectName, state.request.serviceName);
    const removed = await this.swarm.remove({ service: state.request.serviceId }, swarmService);
    if (removed.length) this.log.log(`${state.request.serviceId}: removed ${removed.join(', ')}, replaced by ${swarmService}`);
  }

  private namesOf(catalog: Awaited<ReturnType<typeof loadCatalog>>, serviceId: string): string[] {
    return [...(catalog.services.get(serviceId)?.names ?? catalog.deletedServices?.get(serviceId) ?? [])];
  }
}
