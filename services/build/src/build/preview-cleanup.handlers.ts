import { Controller, Inject, Logger } from '@nestjs/common';
import { Payload } from '@nestjs/microservices';
import type { StoredEvent } from '@slipway/event-store';
import { OnEvent, PlatformConnection } from '@slipway/messaging';
import { previewCopyName } from '@slipway/proto';
import { BuildCaches } from '../runner/build-caches.adapter';

const CONSUMER = 'build-on-preview-destroy-requested';

/** Wiring only: a preview torn down leaves no image of its copies here (deploy deletes them from the registry). */
@Controller()
export class PreviewCleanupHandlers {
  private readonly log = new Logger(CONSUMER);

  constructor(
    @Inject(PlatformConnection) private readonly platform: PlatformConnection,
    @Inject(BuildCaches) private readonly caches: BuildCaches,
  ) {}

  @OnEvent({ durable: CONSUMER, context: 'preview', aggregate: 'preview', types: ['PreviewDestroyRequested'] })
  async onDestroyRequested(@Payload() event: StoredEvent) {
    const store = this.platform.store;
    const requested = (await store.read({ context: 'preview', aggregate: 'preview', id: event.aggregateId })).events.filter((e) => e.type === 'PreviewRequested').at(-1);
    if (!requested) return;
    const { projectId, slug } = requested.data as { projectId: string; slug: string };
    let project: string | undefined;
    const names = new Set<string>();
    for (const e of (await store.read({ context: 'project', aggregate: 'project', id: projectId })).events) {
      if (e.type === 'ProjectCreated') project = String(e.data.name);
      if (e.type === 'ServiceCreated' || e.type === 'ServiceRenamed') names.add(String(e.data.name));
    }
    if (!project) return;
    const removed: string[] = [];
    for (const name of names) removed.push(...(await this.caches.removeImages(`${project}/${previewCopyName(name, slug)}`)));
    this.log.log(`preview ${event.aggregateId} closed: ${removed.length} local image reference(s) removed`);
  }
}
