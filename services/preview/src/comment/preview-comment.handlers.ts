import { Controller, Inject, Logger } from '@nestjs/common';
import { Payload } from '@nestjs/microservices';
import type { StoredEvent } from '@slipway/event-store';
import { OnEvent, PlatformConnection, workflowMetadata } from '@slipway/messaging';
import { SecretOpener } from '@slipway/secret-box';
import { PreviewCommentPoster } from './comment-poster';
import { deploymentStream, PreviewDeploymentIndex, previewRequestOf } from './preview-deployments';

const ON_PREVIEW = 'preview-comment';
const ON_DEPLOYMENT = 'preview-comment-on-deployment';

/**
 * Wiring only: a preview's change, or one of its copies' deployments moving on, rewrites the pull
 * request's comment and the head commit's status (comment-poster.ts). Its own records
 * (PreviewCommentPosted/Failed) are not listened to, so a comment never answers itself.
 */
@Controller()
export class PreviewCommentHandlers {
  private readonly log = new Logger('preview-comment');
  private opener?: SecretOpener;
  private readonly posting = new Map<string, Promise<void>>();
  // Made at the first event: the store exists once the service is connected to NATS, not at construction.
  private wiring?: { index: PreviewDeploymentIndex; poster: PreviewCommentPoster };

  constructor(@Inject(PlatformConnection) private readonly platform: PlatformConnection) {}

  private get parts() {
    if (this.wiring) return this.wiring;
    const index = new PreviewDeploymentIndex(this.platform.store);
    const poster = new PreviewCommentPoster({
      store: this.platform.store,
      openToken: (sealed) => (this.opener ??= SecretOpener.forService('preview')).open(sealed),
      deploymentsOf: (previewId) => index.deploymentsOf(previewId),
    });
    return (this.wiring = { index, poster });
  }

  @OnEvent({
    durable: ON_PREVIEW,
    context: 'preview',
    aggregate: 'preview',
    types: ['PreviewRequested', 'PreviewHeadMoved', 'PreviewApproved', 'PreviewDestroyRequested', 'PreviewDestroyed'],
  })
  async onPreview(@Payload() event: StoredEvent) {
    await this.post(event.aggregateId, event, ON_PREVIEW);
  }

  @OnEvent({
    durable: ON_DEPLOYMENT,
    context: 'deploy',
    aggregate: 'deployment',
    types: ['DeploymentRequested', 'DeploymentStarted', 'DeploymentSucceeded', 'DeploymentFailed', 'DeploymentBlocked', 'DeploymentCancelled'],
  })
  async onDeployment(@Payload() event: StoredEvent) {
    const request = previewRequestOf((await this.platform.store.read(deploymentStream(event.aggregateId))).events);
    if (!request) return; // not a preview's copy
    this.parts.index.learn(request.trigger.previewId, request.deploymentId);
    await this.post(request.trigger.previewId, event, ON_DEPLOYMENT);
  }

  /**
   * One post at a time per preview: the preview's events and its deployments' arrive on two
   * consumers at once, and two posts that both find no comment yet would each create one.
   */
  private post(previewId: string, event: StoredEvent, consumer: string): Promise<void> {
    const previous = this.posting.get(previewId) ?? Promise.resolve();
    const current = previous
      .catch(() => undefined)
      .then(async () => {
        const outcome = await this.parts.poster.post(previewId, workflowMetadata(consumer, event, 'preview'));
        if (outcome === 'posted' || outcome === 'failed') this.log.log(`preview ${previewId}: comment ${outcome} (after ${event.type})`);
      });
    this.posting.set(previewId, current);
    return current.finally(() => {
      if (this.posting.get(previewId) === current) this.posting.delete(previewId);
    });
  }
}
