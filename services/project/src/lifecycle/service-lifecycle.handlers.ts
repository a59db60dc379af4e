import { Controller, Inject } from '@nestjs/common';
import { Payload } from '@nestjs/microservices';
import { deriveEventId, type DomainEvent, type HandledCommand } from '@slipway/event-store';
import { Command, PlatformConnection, type CommandPayload } from '@slipway/messaging';
import { DeleteProject, DeleteService, RestartService, ScaleService, StartService, StopService, type CommandMetadata } from '@slipway/proto';
import { projectNames } from '../project/project-name.decider';
import { releaseDomain } from '../settings/domain-claims';
import { serviceLifecycles } from './service-lifecycle.aggregate';
import type { LifecycleCommand, LifecycleEvent } from './service-lifecycle.decider';

type Ids = { projectId: string; serviceId: string };

/** The stream position a read model must reach to show this change; null when nothing changed. */
const appendedAt = (handled: HandledCommand<DomainEvent>) => (handled.events.length ? handled.version : null);

/**
 * Wiring only: stop, start, restart, scale and delete into the lifecycle decider. A deletion then
 * gives back what the deleted services held on streams of their own: their domains, the project's name.
 */
@Controller()
export class ServiceLifecycleHandlers {
  constructor(@Inject(PlatformConnection) private readonly platform: PlatformConnection) {}

  @Command(StopService)
  stopService(@Payload() { data, metadata }: CommandPayload<Ids>) {
    return this.decide({ type: 'StopService', data, now: metadata.now }, metadata);
  }

  @Command(StartService)
  startService(@Payload() { data, metadata }: CommandPayload<Ids>) {
    return this.decide({ type: 'StartService', data, now: metadata.now }, metadata);
  }

  @Command(RestartService)
  restartService(@Payload() { data, metadata }: CommandPayload<Ids>) {
    return this.decide({ type: 'RestartService', data, now: metadata.now }, metadata);
  }

  @Command(ScaleService)
  scaleService(@Payload() { data, metadata }: CommandPayload<Ids & { replicas: number }>) {
    return this.decide({ type: 'ScaleService', data }, metadata);
  }

  @Command(DeleteService)
  async deleteService(@Payload() { data, metadata }: CommandPayload<Ids & { deleteVolumes: boolean }>) {
    const handled = await serviceLifecycles.handle(this.platform.store, data.projectId, { type: 'DeleteService', data, now: metadata.now }, metadata);
    await this.releaseClaims(handled.events, metadata);
    return { serviceId: data.serviceId, version: appendedAt(handled) };
  }

  @Command(DeleteProject)
  async deleteProject(@Payload() { data, metadata }: CommandPayload<{ projectId: string; deleteVolumes: boolean }>) {
    const handled = await serviceLifecycles.handle(this.platform.store, data.projectId, { type: 'DeleteProject', data, now: metadata.now }, metadata);
    await this.releaseClaims(handled.events, metadata);
    return { projectId: data.projectId, version: appendedAt(handled) };
  }

  private async decide(command: LifecycleCommand & { data: Ids }, metadata: CommandMetadata) {
    const handled = await serviceLifecycles.handle(this.platform.store, command.data.projectId, command, metadata);
    return { serviceId: command.data.serviceId, version: appendedAt(handled) };
  }

  /** A retried deletion decides nothing new, and so releases nothing: the first one finished its releases, or failed and is retried whole. */
  private async releaseClaims(events: LifecycleEvent[], metadata: CommandMetadata) {
    for (const event of events) {
      if (event.type === 'ServiceDeleted') {
        for (const hostname of event.data.domains) await releaseDomain(this.platform.store, { hostname, serviceId: event.data.serviceId }, metadata);
      }
      if (event.type === 'ProjectDeleted') {
        const step = { ...metadata, commandId: deriveEventId(`${metadata.commandId}/release-project-name`, 0), causationId: metadata.commandId };
        await projectNames.handle(this.platform.store, event.data.name, { type: 'ReleaseProjectName', data: { name: event.data.name, projectId: event.data.projectId } }, step);
      }
    }
  }
}
