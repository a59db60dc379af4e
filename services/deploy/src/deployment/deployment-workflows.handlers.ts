import { Controller, Inject } from '@nestjs/common';
import { Payload } from '@nestjs/microservices';
import type { StoredEvent } from '@slipway/event-store';
import { OnEvent, PlatformConnection, workflowMetadata } from '@slipway/messaging';
import { payloadOf, ReservationRejected, ResourcesReserved } from '@slipway/proto';
import { deployments } from './deployment.aggregate';
import type { DeploymentCommand } from './deployment.decider';
import {
  failOnBuildFailed,
  rolloutOnBuildSucceeded,
  rolloutWithoutBuild,
  succeedOnRouteActivated,
} from './deployment.workflows';

/** Wiring only: the deploy service's durable consumers into its workflows and decider. */
@Controller()
export class DeploymentWorkflowHandlers {
  constructor(@Inject(PlatformConnection) private readonly platform: PlatformConnection) {}

  @OnEvent({ durable: 'deploy-on-build-succeeded', context: 'build', aggregate: 'build', types: ['BuildSucceeded'] })
  onBuildSucceeded(@Payload() e: StoredEvent) {
    return this.run('deploy-on-build-succeeded', e, rolloutOnBuildSucceeded(e));
  }

  @OnEvent({ durable: 'deploy-on-build-failed', context: 'build', aggregate: 'build', types: ['BuildFailed'] })
  onBuildFailed(@Payload() e: StoredEvent) {
    return this.run('deploy-on-build-failed', e, failOnBuildFailed(e));
  }

  /** Once the quota reserved its resources (before: on DeploymentRequested, now retired). */
  @OnEvent({ durable: 'deploy-on-resources-reserved', context: 'quota', aggregate: 'project-quota', types: ['ResourcesReserved'] })
  async onResourcesReserved(@Payload() e: StoredEvent) {
    const { deploymentId } = payloadOf(ResourcesReserved, e);
    if (!deploymentId) return; // a scale or a start
    const { state } = await deployments.load(this.platform.store, deploymentId);
    if (state.status !== 'queued') return;
    return this.run('deploy-on-resources-reserved', e, rolloutWithoutBuild(state.request, e.occurredAt));
  }

  /** Over a project's quota or the machine's capacity: it ends before anything of it is built or run. */
  @OnEvent({ durable: 'deploy-on-reservation-rejected', context: 'quota', aggregate: 'project-quota', types: ['ReservationRejected'] })
  onReservationRejected(@Payload() e: StoredEvent) {
    const { deploymentId, reason } = payloadOf(ReservationRejected, e);
    return this.run('deploy-on-reservation-rejected', e, [{ type: 'MarkFailed', data: { deploymentId, reason }, now: e.occurredAt }]);
  }

  /** A preview copy that runs an existing image waited for its dependencies: roll it out once released (nothing to build). */
  @OnEvent({ durable: 'deploy-preview-image-on-released', context: 'deploy', aggregate: 'deployment', types: ['DeploymentReleased'] })
  async onDeploymentReleased(@Payload() e: StoredEvent) {
    const { state } = await deployments.load(this.platform.store, e.aggregateId);
    if (state.status !== 'queued' || state.request.trigger.kind !== 'preview' || !state.request.trigger.imageRef) return;
    const command: DeploymentCommand = { type: 'StartRollout', data: { deploymentId: e.aggregateId, imageRef: state.request.trigger.imageRef }, now: e.occurredAt };
    return this.run('deploy-preview-image-on-released', e, [command]);
  }

  @OnEvent({ durable: 'deploy-on-route-activated', context: 'routing', aggregate: 'route', types: ['RouteActivated'] })
  onRouteActivated(@Payload() e: StoredEvent) {
    return this.run('deploy-on-route-activated', e, succeedOnRouteActivated(e));
  }

  private async run(consumer: string, event: StoredEvent, commands: DeploymentCommand[]) {
    for (const [index, command] of commands.entries()) {
      await deployments.handle(this.platform.store, command.data.deploymentId, command, workflowMetadata(consumer, event, 'deploy', index));
    }
  }
}
