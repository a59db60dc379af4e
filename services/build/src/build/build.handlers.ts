import { Controller, Inject } from '@nestjs/common';
import { Payload } from '@nestjs/microservices';
import { handleCommand, type StoredEvent } from '@slipway/event-store';
import { OnEvent, PlatformConnection, workflowMetadata } from '@slipway/messaging';
import { DeploymentRequested, payloadOf, ResourcesReserved } from '@slipway/proto';
import { buildDecider } from './build.decider';
import { buildOnDeploymentReleased, buildOnDeploymentRequested } from './build-on-deployment-requested.workflow';

/** Builds start once the quota reserved the deployment's resources (before: on DeploymentRequested, now retired). */
const CONSUMER = 'build-on-resources-reserved';
const ON_RELEASED = 'build-on-deployment-released';

/** Wiring only: reserved and released deployments into the build workflow and decider. */
@Controller()
export class BuildHandlers {
  constructor(@Inject(PlatformConnection) private readonly platform: PlatformConnection) {}

  @OnEvent({ durable: CONSUMER, context: 'quota', aggregate: 'project-quota', types: ['ResourcesReserved'] })
  async onResourcesReserved(@Payload() event: StoredEvent) {
    const { deploymentId } = payloadOf(ResourcesReserved, event);
    if (!deploymentId) return; // a scale or a start: nothing to build
    const request = await this.requestOf(deploymentId);
    if (request) await this.requestBuilds(CONSUMER, event, buildOnDeploymentRequested({ type: 'DeploymentRequested', data: request }));
  }

  /** A deployment that waited for its dependencies (deployProject) is built once they all succeeded. */
  @OnEvent({ durable: ON_RELEASED, context: 'deploy', aggregate: 'deployment', types: ['DeploymentReleased'] })
  async onDeploymentReleased(@Payload() event: StoredEvent) {
    const request = await this.requestOf(event.aggregateId);
    if (request) await this.requestBuilds(ON_RELEASED, event, buildOnDeploymentReleased(request));
  }

  private async requestOf(deploymentId: string) {
    const { events } = await this.platform.store.read({ context: 'deploy', aggregate: 'deployment', id: deploymentId });
    const requested = events.find((e) => e.type === 'DeploymentRequested');
    return requested && payloadOf(DeploymentRequested, requested);
  }

  private async requestBuilds(consumer: string, event: StoredEvent, commands: ReturnType<typeof buildOnDeploymentRequested>) {
    for (const [index, command] of commands.entries()) {
      await handleCommand({
        store: this.platform.store,
        stream: { context: 'build', aggregate: 'build', id: command.data.buildId },
        decider: buildDecider,
        command,
        metadata: workflowMetadata(consumer, event, 'build', index),
      });
    }
  }
}
