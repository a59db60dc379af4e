import { Controller, Inject } from '@nestjs/common';
import { Payload } from '@nestjs/microservices';
import { handleCommand, type StoredEvent } from '@slipway/event-store';
import { OnEvent, PlatformConnection, workflowMetadata } from '@slipway/messaging';
import type { DeploymentRequested, EventData } from '@slipway/proto';
import { buildDecider } from './build.decider';
import { buildOnDeploymentReleased, buildOnDeploymentRequested } from './build-on-deployment-requested.workflow';

const CONSUMER = 'build-on-deployment-requested';
const ON_RELEASED = 'build-on-deployment-released';

/** Wiring only: DeploymentRequested events into the build workflow and decider. */
@Controller()
export class BuildHandlers {
  constructor(@Inject(PlatformConnection) private readonly platform: PlatformConnection) {}

  @OnEvent({ durable: CONSUMER, context: 'deploy', aggregate: 'deployment', types: ['DeploymentRequested'] })
  async onDeploymentRequested(@Payload() event: StoredEvent) {
    const commands = buildOnDeploymentRequested({
      type: 'DeploymentRequested',
      data: event.data as EventData<typeof DeploymentRequested>,
    });
    await this.requestBuilds(CONSUMER, event, commands);
  }

  /** A deployment that waited for its dependencies (deployProject) is built once they all succeeded. */
  @OnEvent({ durable: ON_RELEASED, context: 'deploy', aggregate: 'deployment', types: ['DeploymentReleased'] })
  async onDeploymentReleased(@Payload() event: StoredEvent) {
    const { events } = await this.platform.store.read({ context: 'deploy', aggregate: 'deployment', id: event.aggregateId });
    const requested = events.find((e) => e.type === 'DeploymentRequested');
    if (!requested) return;
    await this.requestBuilds(ON_RELEASED, event, buildOnDeploymentReleased(requested.data as EventData<typeof DeploymentRequested>));
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
