import { Controller, Inject, Logger } from '@nestjs/common';
import { Payload } from '@nestjs/microservices';
import type { StoredEvent } from '@slipway/event-store';
import { OnEvent } from '@slipway/messaging';
import { BuildCaches } from '../runner/build-caches.adapter';
import { RunningBuilds } from './running-builds';

const CONSUMER = 'build-on-service-deleted';

/** Wiring only: a deleted service stops its builds and leaves no image here; a deleted project no git cache. */
@Controller()
export class BuildCleanupHandlers {
  private readonly log = new Logger(CONSUMER);

  constructor(
    @Inject(BuildCaches) private readonly caches: BuildCaches,
    @Inject(RunningBuilds) private readonly running: RunningBuilds,
  ) {}

  @OnEvent({ durable: CONSUMER, context: 'project', aggregate: 'project', types: ['ServiceDeleted', 'ProjectDeleted'] })
  async onDeleted(@Payload() event: StoredEvent) {
    if (event.type === 'ServiceDeleted') {
      this.running.stopServiceBuilds(String(event.data.serviceId));
      // Under each name it had: the catalog's names are the project service's; the event names the last one.
      const removed = await this.caches.removeImages(`${event.data.projectName}/${event.data.name}`);
      this.log.log(`service ${event.data.serviceId} deleted: ${removed.length} local image reference(s) removed`);
      return;
    }
    const removed = await this.caches.removeImages(String(event.data.name));
    await this.caches.removeGitCaches(String(event.data.name));
    this.log.log(`project ${event.data.name} deleted: ${removed.length} local image reference(s) and its git caches removed`);
  }
}
