import { Controller, Inject, Logger } from '@nestjs/common';
import { Payload } from '@nestjs/microservices';
import { deriveEventId, type StoredEvent } from '@slipway/event-store';
import { DomainError, OnEvent, PlatformConnection, workflowMetadata } from '@slipway/messaging';
import { previewCopyName, previewNetwork, type CommandMetadata } from '@slipway/proto';
import { deployments } from '../deployment/deployment.aggregate';
import type { DeploymentCommand } from '../deployment/deployment.decider';
import { RegistryCleanup } from '../deployment/registry-cleanup.adapter';
import { derivedDeploymentId } from '../deployment/project-deployment';
import { loadCatalog, loadGlobalEnv } from '../deployment/service-catalog';
import { SwarmRuntime } from '../swarm/swarm-runtime.adapter';
import { SwarmVolumes } from '../swarm/swarm-volumes.adapter';
import { planPreviewDeployments } from './preview-plan';
import { previewRuntimes } from './preview-runtime.aggregate';
import { loadPreview } from './preview-state';

const DEPLOY = 'deploy-on-preview';
const TEARDOWN = 'deploy-preview-teardown';

/**
 * Wiring only: a preview requested (or approved) deploys the whole project as copies; a new head
 * commit redeploys the services built from the repository; a preview closed tears its runtime down
 * (Swarm services, network, volumes, registry images) and records what went.
 */
@Controller()
export class PreviewDeploymentHandlers {
  private readonly log = new Logger('preview-runtime');

  constructor(
    @Inject(PlatformConnection) private readonly platform: PlatformConnection,
    @Inject(SwarmRuntime) private readonly swarm: SwarmRuntime,
    @Inject(SwarmVolumes) private readonly volumes: SwarmVolumes,
    @Inject(RegistryCleanup) private readonly registry: RegistryCleanup,
  ) {}

  @OnEvent({ durable: DEPLOY, context: 'preview', aggregate: 'preview', types: ['PreviewRequested', 'PreviewApproved', 'PreviewHeadMoved'] })
  async onPreview(@Payload() event: StoredEvent) {
    const store = this.platform.store;
    const preview = await loadPreview(store, event.aggregateId);
    if (!preview || preview.waiting || preview.destroying) return;
    const headOnly = event.type === 'PreviewHeadMoved';
    const [project, globalEnv] = await Promise.all([loadCatalog(store, preview.projectId), loadGlobalEnv(store)]);
    if (!project.name || project.deleted) return;
    // What each production service runs now, from one listing of the project's Swarm services (a copy's label is its own id).
    const currentImages = new Map<string, string>();
    for (const running of await this.swarm.services({ project: preview.projectId })) {
      const serviceId = running.Spec?.Labels?.['slipway.service'];
      const image = (running.Spec?.TaskTemplate as { ContainerSpec?: { Image?: string } } | undefined)?.ContainerSpec?.Image;
      if (serviceId && image && project.services.has(serviceId)) currentImages.set(serviceId, image);
    }
    // One set of deployments per head commit: a redelivered event asks for the same ids again.
    const cause = `${preview.previewId}/${preview.generation}@${preview.ref}`;
    let requests;
    try {
      requests = planPreviewDeployments(project, globalEnv, preview, currentImages, cause, headOnly ? 'built-from-repository' : undefined);
    } catch (err) {
      if (err instanceof DomainError) return this.log.warn(`preview ${preview.previewId}: ${err.message}`);
      throw err;
    }
    const metadata = workflowMetadata(DEPLOY, event, 'deploy');
    for (const [index, data] of requests.entries()) {
      const own = { ...metadata, commandId: deriveEventId(`${metadata.commandId}/preview`, index) };
      await this.request({ type: 'RequestDeployment', data, now: metadata.now }, own);
    }
    this.log.log(`preview ${preview.previewId} at ${preview.ref}: ${requests.length} deployment(s)`);
  }

  @OnEvent({ durable: TEARDOWN, context: 'preview', aggregate: 'preview', types: ['PreviewDestroyRequested'], maxDeliver: 10 })
  async onDestroyRequested(@Payload() event: StoredEvent) {
    const store = this.platform.store;
    const previewId = event.aggregateId;
    const preview = await loadPreview(store, previewId);
    if (!preview) return;
    if ((await previewRuntimes.load(store, previewId)).state.answered.includes(event.id)) return; // torn down already
    const catalog = await loadCatalog(store, preview.projectId);
    // Its copies still waiting or queued (a build not started, or under way) end now, cancelled.
    const serviceIds = [...catalog.services.keys(), ...(catalog.deletedServices?.keys() ?? [])];
    for (const [index, deploymentId] of preview.causes.flatMap((cause) => serviceIds.map((id) => derivedDeploymentId(cause, id))).entries()) {
      const { state } = await deployments.load(store, deploymentId);
      if (state.status !== 'waiting' && state.status !== 'queued') continue;
      const metadata = workflowMetadata(TEARDOWN, event, 'deploy', 100 + index);
      await deployments.handle(store, deploymentId, { type: 'CancelDeployment', data: { deploymentId }, now: metadata.now }, metadata).catch((err) => this.log.warn(`${deploymentId}: ${err}`));
    }
    const services = await this.swarm.remove({ preview: previewId }, undefined, { kill: true });
    const { removed: volumes, inUse } = await this.volumes.remove({ preview: previewId });
    // Throws while the edge is still on it (routing detaches Caddy as it removes the routes): the event comes again.
    const networks: string[] = [];
    if (catalog.name && (await this.swarm.removeNetwork(previewNetwork(catalog.name, preview.slug), 30_000)) === 'removed') networks.push(previewNetwork(catalog.name, preview.slug));
    if (inUse.length) throw new Error(`preview ${previewId}: volumes ${inUse.join(', ')} are still mounted; trying again`);
    const images: string[] = [];
    const names = new Set([...catalog.services.values()].flatMap((s) => s.names).concat([...(catalog.deletedServices?.values() ?? [])].flat()));
    for (const name of names) {
      const repository = `${catalog.name}/${previewCopyName(name, preview.slug)}`;
      if ((await this.registry.deleteRepositories(repository)) > 0) images.push(repository);
    }
    const removed = { previewId, requestId: event.id, services, networks, volumes, images, removedAt: new Date().toISOString() };
    await previewRuntimes.handle(store, previewId, { type: 'RecordRemoval', data: removed }, workflowMetadata(TEARDOWN, event, 'deploy'));
    this.log.log(`preview ${previewId} torn down: ${services.length} service(s), ${networks.length} network(s), ${volumes.length} volume(s), ${images.length} image repositories`);
  }

  /** A redelivered event asks for the same ids: the ones that exist already are kept. */
  private async request(command: DeploymentCommand, metadata: CommandMetadata) {
    try {
      await deployments.handle(this.platform.store, command.data.deploymentId, command, metadata);
    } catch (err) {
      if (!(err instanceof DomainError && err.code === 'DEPLOYMENT_EXISTS')) throw err;
    }
  }
}
