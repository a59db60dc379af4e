import { Controller, Inject } from '@nestjs/common';
import { Payload } from '@nestjs/microservices';
import type { StoredEvent } from '@slipway/event-store';
import { Command, DomainError, OnEvent, PlatformConnection, workflowMetadata, type CommandPayload } from '@slipway/messaging';
import {
  CheckServiceChange,
  DeploymentRequested,
  PreviewRequested,
  PreviewRuntimeRemoved,
  ProjectDeleted,
  ServiceDeleted,
  ServiceScaled,
  ServiceStarted,
  ServiceStopped,
  SetDefaultQuota,
  SetProjectQuota,
  payloadOf,
  previewCopyId,
  type QuotaLimits,
  type Resources,
} from '@slipway/proto';
import { DockerCapacity } from './docker-capacity.adapter';
import { overCapacity, overQuota } from './quota-check';
import { VolumeStorage } from './volume-storage.adapter';
import { defaultQuota, projectQuotas } from './quota.aggregate';
import type { QuotaCommand } from './quota.decider';

const REQUESTED = 'quota-on-deployment-requested';
const ENDED = 'quota-on-deployment-ended';
const LIFECYCLE = 'quota-on-service-lifecycle';
const PREVIEW_REMOVED = 'quota-on-preview-removed';
const PAST_THE_QUEUE = ['DeploymentStarted', 'DeploymentRolledOut', 'DeploymentSucceeded', 'DeploymentFailed', 'DeploymentCancelled', 'DeploymentBlocked'];
const ENDINGS: Record<string, 'failed' | 'cancelled' | 'blocked'> = { DeploymentFailed: 'failed', DeploymentCancelled: 'cancelled', DeploymentBlocked: 'blocked' };

/**
 * Wiring only: a deployment is reserved for (or rejected) before anything of it is built or run;
 * what it held is given back when it ends unsuccessfully, when its service stops or goes, and when
 * a preview is torn down. Scales and starts are checked when asked (CheckServiceChange).
 */
@Controller()
export class QuotaHandlers {
  constructor(
    @Inject(PlatformConnection) private readonly platform: PlatformConnection,
    @Inject(DockerCapacity) private readonly machine: DockerCapacity,
    @Inject(VolumeStorage) private readonly storage: VolumeStorage,
  ) {}

  @Command(SetProjectQuota)
  async setProjectQuota(@Payload() { data, metadata }: CommandPayload<{ projectId: string; limits: QuotaLimits }>) {
    const { version } = await projectQuotas.handle(this.platform.store, data.projectId, { type: 'SetQuota', data, now: metadata.now }, metadata);
    return { projectId: data.projectId, version };
  }

  @Command(SetDefaultQuota)
  async setDefaultQuota(@Payload() { data, metadata }: CommandPayload<{ limits: QuotaLimits }>) {
    const { version } = await defaultQuota.handle(this.platform.store, 'default', { type: 'SetDefaultQuota', data, now: metadata.now }, metadata);
    return { version };
  }

  @Command(CheckServiceChange)
  async check(@Payload() { data }: CommandPayload<{ projectId: string; serviceId: string; projectName: string; resources: Resources }>) {
    const [{ state }, defaults, capacity] = await Promise.all([projectQuotas.load(this.platform.store, data.projectId), this.defaults(), this.machine.capacity(data.serviceId)]);
    const limits = state.limits ?? defaults;
    const request = { ...data, holder: data.serviceId, storageUsedMb: limits.storageMb === undefined ? undefined : await this.storage.usedMb(data.projectId) };
    const reason = overQuota(request, limits, state.held) ?? overCapacity(request, capacity);
    if (reason) throw new DomainError('QUOTA_EXCEEDED', reason, 'replicas');
    return { ok: true };
  }

  @OnEvent({ durable: REQUESTED, context: 'deploy', aggregate: 'deployment', types: ['DeploymentRequested'] })
  async onDeploymentRequested(@Payload() event: StoredEvent) {
    const d = payloadOf(DeploymentRequested, event);
    // Only a deployment still waiting for it: history (a first start of this consumer on an
    // existing install, a long outage) reserves nothing and starts no build of a finished deployment.
    const { events } = await this.platform.store.read({ context: 'deploy', aggregate: 'deployment', id: d.deploymentId });
    if (events.some((e) => PAST_THE_QUEUE.includes(e.type))) return;
    const preview = d.trigger.kind === 'preview' ? d.trigger : undefined;
    const holder = preview ? previewCopyId(d.serviceId, preview.slug) : d.serviceId;
    const [{ state }, defaults, capacity] = await Promise.all([projectQuotas.load(this.platform.store, d.projectId), this.defaults(), this.machine.capacity(holder)]);
    // Measured only where a storage limit applies: the one limit not known from the events.
    const storageUsedMb = (state.limits ?? defaults).storageMb === undefined ? undefined : await this.storage.usedMb(d.projectId);
    const resources = { cpu: d.spec.resources.cpu, memoryMb: d.spec.resources.memoryMb, replicas: d.spec.replicas };
    const data = { projectId: d.projectId, projectName: d.projectName, deploymentId: d.deploymentId, holder, previewId: preview?.previewId, resources, defaults, capacity, storageUsedMb };
    await this.run(REQUESTED, event, d.projectId, [{ type: 'Reserve', data }]);
  }

  @OnEvent({ durable: ENDED, context: 'deploy', aggregate: 'deployment', types: Object.keys(ENDINGS) })
  async onDeploymentEnded(@Payload() event: StoredEvent) {
    const { events } = await this.platform.store.read({ context: 'deploy', aggregate: 'deployment', id: event.aggregateId });
    const requested = events.find((e) => e.type === 'DeploymentRequested');
    if (!requested) return;
    const d = payloadOf(DeploymentRequested, requested);
    const holder = d.trigger.kind === 'preview' ? previewCopyId(d.serviceId, d.trigger.slug) : d.serviceId;
    await this.run(ENDED, event, d.projectId, [{ type: 'Release', data: { projectId: d.projectId, holder, deploymentId: d.deploymentId, reason: ENDINGS[event.type] } }]);
  }

  @OnEvent({ durable: LIFECYCLE, context: 'project', aggregate: 'project', types: ['ServiceScaled', 'ServiceStarted', 'ServiceStopped', 'ServiceDeleted', 'ProjectDeleted'] })
  async onLifecycle(@Payload() event: StoredEvent) {
    const command = ((): QuotaCommand | undefined => {
      switch (event.type) {
        case 'ServiceScaled':
        case 'ServiceStarted': {
          const d = event.type === 'ServiceScaled' ? payloadOf(ServiceScaled, event) : payloadOf(ServiceStarted, event);
          return { type: 'FollowReplicas', data: { projectId: d.projectId, holder: d.serviceId, replicas: d.replicas } };
        }
        case 'ServiceStopped': {
          const d = payloadOf(ServiceStopped, event);
          return { type: 'Release', data: { projectId: d.projectId, holder: d.serviceId, reason: 'stopped' } };
        }
        case 'ServiceDeleted': {
          const d = payloadOf(ServiceDeleted, event);
          return { type: 'Release', data: { projectId: d.projectId, holder: d.serviceId, reason: 'deleted' } };
        }
        case 'ProjectDeleted':
          return { type: 'Release', data: { projectId: payloadOf(ProjectDeleted, event).projectId, reason: 'deleted' } };
        default:
          return undefined;
      }
    })();
    if (command) await this.run(LIFECYCLE, event, command.data.projectId, [command]);
  }

  @OnEvent({ durable: PREVIEW_REMOVED, context: 'deploy', aggregate: 'preview-runtime', types: ['PreviewRuntimeRemoved'] })
  async onPreviewRemoved(@Payload() event: StoredEvent) {
    const { previewId } = payloadOf(PreviewRuntimeRemoved, event);
    const { events } = await this.platform.store.read({ context: 'preview', aggregate: 'preview', id: previewId });
    const requested = events.find((e) => e.type === 'PreviewRequested');
    if (!requested) return;
    const { projectId } = payloadOf(PreviewRequested, requested);
    await this.run(PREVIEW_REMOVED, event, projectId, [{ type: 'Release', data: { projectId, previewId, reason: 'preview-removed' } }]);
  }

  private async defaults(): Promise<QuotaLimits> {
    return (await defaultQuota.load(this.platform.store, 'default')).state.limits;
  }

  private async run(consumer: string, event: StoredEvent, projectId: string, commands: QuotaCommand[]) {
    for (const [index, command] of commands.entries()) {
      await projectQuotas.handle(this.platform.store, projectId, command, workflowMetadata(consumer, event, 'quota', index));
    }
  }
}

