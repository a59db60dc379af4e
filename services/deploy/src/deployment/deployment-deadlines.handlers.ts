import { Controller, Inject } from '@nestjs/common';
import { Payload } from '@nestjs/microservices';
import { RedeliverLater, type StoredEvent } from '@slipway/event-store';
import { OnEvent, PlatformConnection, publishLogLine, readLastLogLine, workflowMetadata } from '@slipway/messaging';
import { deadlineReason, deadlinesFromEnv, judgeDeadline } from './deployment-deadlines';
import { deploymentFailedByDeadLetter } from './dead-letter-failure';
import { deployments } from './deployment.aggregate';

const WATCH = 'deploy-deadline-watch';
const DEAD_LETTERS = 'deploy-fail-on-dead-letter';

/**
 * Every deployment ends. Each requested deployment is watched until it finishes (its event comes
 * back through JetStream until then, so the watch survives restarts and needs no scan); one past
 * its phase's deadline fails with the reason. A step that gave up (a dead letter) fails it at once.
 */
@Controller()
export class DeploymentDeadlineHandlers {
  private readonly deadlines = deadlinesFromEnv();

  constructor(@Inject(PlatformConnection) private readonly platform: PlatformConnection) {}

  @OnEvent({ durable: WATCH, context: 'deploy', aggregate: 'deployment', types: ['DeploymentRequested'], maxDeliver: Infinity })
  async watch(@Payload() event: StoredEvent) {
    const deploymentId = event.aggregateId;
    const { state } = await deployments.load(this.platform.store, deploymentId);
    const buildStartedAt = state.status === 'queued' ? await this.buildStartedAt(deploymentId) : undefined;
    const verdict = judgeDeadline(state, buildStartedAt, this.deadlines, new Date());
    if (verdict.kind === 'finished') return;
    if (verdict.kind === 'wait') throw new RedeliverLater(verdict.recheckInMs, `deployment ${deploymentId} in its ${verdict.phase} phase`);
    // The last line is read only for an overdue deployment: its reason quotes it.
    const lastSaid = (await readLastLogLine(this.platform.connection, deploymentId))?.message;
    await this.fail(event, WATCH, deploymentId, deadlineReason(verdict, this.deadlines, lastSaid));
  }

  @OnEvent({ durable: DEAD_LETTERS, context: 'system', aggregate: 'dead-letter', types: ['EventDeadLettered'] })
  async onDeadLetter(@Payload() event: StoredEvent) {
    const failure = deploymentFailedByDeadLetter(event.data as { consumer: string; subject: string; attempts: number; error: string });
    if (!failure) return;
    const { state } = await deployments.load(this.platform.store, failure.deploymentId);
    if (state.status === 'none') return;
    await this.fail(event, DEAD_LETTERS, failure.deploymentId, failure.reason);
  }

  private async fail(event: StoredEvent, consumer: string, deploymentId: string, reason: string) {
    const metadata = workflowMetadata(consumer, event, 'deploy');
    const { events } = await deployments.handle(this.platform.store, deploymentId, { type: 'MarkFailed', data: { deploymentId, reason }, now: metadata.now }, metadata);
    if (events.length > 0) publishLogLine(this.platform.connection, deploymentId, { timestamp: metadata.now, stream: 'system', message: reason });
  }

  private async buildStartedAt(deploymentId: string) {
    const { events } = await this.platform.store.read({ context: 'build', aggregate: 'build', id: deploymentId });
    return events.find((e) => e.type === 'BuildStarted')?.occurredAt;
  }
}
