import { Controller, Inject, Logger, type OnApplicationBootstrap } from '@nestjs/common';
import { Payload } from '@nestjs/microservices';
import { deriveEventId, handleCommand, type StoredEvent } from '@slipway/event-store';
import { Command, DomainError, OnEvent, PlatformConnection, workflowMetadata, type CommandPayload } from '@slipway/messaging';
import {
  ApprovePreview,
  CreatePreview,
  DestroyPreview,
  pullRequestPreviewId,
  RecordPullRequest,
  SetPreviewSettings,
  type PreviewRuntimeRemoved,
  type CommandMetadata,
  type EventData,
  type PullRequestReceived,
} from '@slipway/proto';
import { pullRequestDecider, pullRequestStream } from '../pull-request/pull-request.decider';
import { previews, previewSettings } from './preview.aggregate';
import type { PreviewCommand } from './preview.decider';
import { branchSlug } from './preview-slug';
import { expireIdlePreviews, previewIds } from './preview-expiry';

const DESTROYED = 'preview-on-runtime-removed';
const PROJECT_DELETED = 'preview-on-project-deleted';

/**
 * Wiring only: pull request events and people's commands into preview streams; the teardown's end
 * recorded; an idle preview expired by a sweep (every SLIPWAY_PREVIEW_SWEEP_S, default 60 s).
 */
@Controller()
export class PreviewHandlers implements OnApplicationBootstrap {
  private readonly log = new Logger('previews');

  constructor(@Inject(PlatformConnection) private readonly platform: PlatformConnection) {}

  onApplicationBootstrap() {
    const every = Number(process.env.SLIPWAY_PREVIEW_SWEEP_S ?? 60) * 1000;
    setInterval(() => void this.platform.ready.then(() => this.expireIdle()).catch((err) => this.log.warn(`expiry sweep: ${err}`)), every).unref();
  }

  @Command(ApprovePreview)
  async approve(@Payload() { data, metadata }: CommandPayload<{ previewId: string }>) {
    const { state } = await previews.load(this.platform.store, data.previewId);
    const idleDays = state.status === 'none' ? 7 : await this.idleDays(state.request.projectId);
    await this.decide(data.previewId, { type: 'ApprovePreview', data: { previewId: data.previewId, approvedBy: metadata.actor.id, idleDays }, now: metadata.now }, metadata);
    return { previewId: data.previewId };
  }

  @Command(DestroyPreview)
  async destroy(@Payload() { data, metadata }: CommandPayload<{ previewId: string }>) {
    await this.decide(data.previewId, { type: 'DestroyPreview', data: { previewId: data.previewId, reason: 'destroyed' }, now: metadata.now }, metadata);
    return { previewId: data.previewId };
  }

  @Command(CreatePreview)
  async create(@Payload() { data, metadata }: CommandPayload<{ projectId: string; ref: string; repositoryUrl: string }>) {
    const slug = branchSlug(data.ref);
    const previewId = `${data.projectId}-${slug}`;
    await this.open(previewId, { projectId: data.projectId, slug, number: null, title: data.ref, provider: null, htmlUrl: null, repositoryUrl: data.repositoryUrl, headRef: data.ref, headSha: null, fromFork: false }, true, metadata);
    return { previewId };
  }

  @Command(SetPreviewSettings)
  async setSettings(@Payload() { data, metadata }: CommandPayload<{ projectId: string; idleDays: number; maxRunning: number }>) {
    await previewSettings.handle(this.platform.store, data.projectId, { type: 'SetPreviewSettings', data }, metadata);
    return data;
  }

  /** The gateway's webhooks: every delivery recorded once; opened → a preview, updated → its new head, closed → torn down. */
  @Command(RecordPullRequest)
  async recordPullRequest(@Payload() { data, metadata: received }: CommandPayload<EventData<typeof PullRequestReceived>>) {
    let metadata = received;
    const stream = pullRequestStream(data.projectId, data.number);
    const recorded = await handleCommand({ store: this.platform.store, stream, decider: pullRequestDecider, command: { type: 'RecordPullRequest', data }, metadata });
    const previewId = pullRequestPreviewId(data.projectId, data.number);
    if (recorded.events.length === 0) return { pullRequest: stream.id, previewId }; // a redelivery
    // Event ids derive from the command id: the preview's events need their own, or the store drops them as repeats.
    metadata = { ...metadata, commandId: deriveEventId(`${metadata.commandId}/preview`, 0) };
    const { state } = await previews.load(this.platform.store, previewId);
    const opening = data.action === 'opened' || (data.action === 'updated' && (state.status === 'none' || state.status === 'destroyed'));
    if (opening) {
      const request = {
        projectId: data.projectId,
        slug: `pr-${data.number}`,
        number: data.number,
        title: data.title,
        provider: data.provider,
        htmlUrl: data.htmlUrl || null,
        repositoryUrl: data.repositoryUrl,
        headRef: data.headRef,
        headSha: data.headSha,
        fromFork: data.fromFork,
      };
      await this.open(previewId, request, false, metadata);
    } else if (data.action === 'updated') {
      const idleDays = await this.idleDays(data.projectId);
      await this.decide(previewId, { type: 'MoveHead', data: { previewId, headSha: data.headSha, title: data.title, idleDays }, now: metadata.now }, metadata);
    } else if (state.status !== 'none') {
      await this.decide(previewId, { type: 'DestroyPreview', data: { previewId, reason: data.merged ? 'merged' : 'closed' }, now: metadata.now }, metadata);
    }
    return { pullRequest: stream.id, previewId };
  }

  /** Deploy tore the runtime down (routing removes the routes on the same request): the preview is gone. */
  @OnEvent({ durable: DESTROYED, context: 'deploy', aggregate: 'preview-runtime', types: ['PreviewRuntimeRemoved'] })
  async onRuntimeRemoved(@Payload() event: StoredEvent) {
    const d = event.data as EventData<typeof PreviewRuntimeRemoved>;
    const removed = { services: d.services, networks: d.networks, volumes: d.volumes, images: d.images };
    await this.decide(d.previewId, { type: 'RecordDestroyed', data: { previewId: d.previewId, removed, destroyedAt: d.removedAt } }, workflowMetadata(DESTROYED, event, 'preview'));
  }

  /** A deleted project's previews go with it. */
  @OnEvent({ durable: PROJECT_DELETED, context: 'project', aggregate: 'project', types: ['ProjectDeleted'] })
  async onProjectDeleted(@Payload() event: StoredEvent) {
    const projectId = String(event.data.projectId);
    for (const [index, previewId] of (await previewIds(this.platform.store, projectId)).entries()) {
      const metadata = workflowMetadata(PROJECT_DELETED, event, 'preview', index);
      await this.decide(previewId, { type: 'DestroyPreview', data: { previewId, reason: 'project-deleted' }, now: metadata.now }, metadata);
    }
  }

  private async open(previewId: string, request: Omit<Extract<PreviewCommand, { type: 'OpenPreview' }>['data'], 'previewId' | 'idleDays' | 'manual' | 'approvalNeeded'>, manual: boolean, metadata: CommandMetadata) {
    const settings = (await previewSettings.load(this.platform.store, request.projectId)).state;
    const running = await this.runningCount(request.projectId, previewId);
    if (running >= settings.maxRunning) {
      throw new DomainError('PREVIEW_LIMIT', `Project runs ${running} previews already, its limit: close one, or raise the limit in the project's preview settings`, 'projectId');
    }
    const data = { ...request, previewId, approvalNeeded: request.fromFork, idleDays: settings.idleDays, manual };
    await this.decide(previewId, { type: 'OpenPreview', data, now: metadata.now }, metadata);
  }

  private async expireIdle() {
    for (const previewId of await expireIdlePreviews(this.platform.store, new Date())) this.log.log(`preview ${previewId} expired`);
  }

  private async runningCount(projectId: string, except: string): Promise<number> {
    let running = 0;
    for (const id of await previewIds(this.platform.store, projectId)) {
      if (id === except) continue;
      const { state } = await previews.load(this.platform.store, id);
      if (state.status === 'running' || state.status === 'waiting') running++;
    }
    return running;
  }

  private async idleDays(projectId: string) {
    return (await previewSettings.load(this.platform.store, projectId)).state.idleDays;
  }

  private decide(previewId: string, command: PreviewCommand, metadata: CommandMetadata) {
    return previews.handle(this.platform.store, previewId, command, metadata);
  }
}
