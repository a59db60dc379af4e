import { Controller, Inject } from '@nestjs/common';
import { Payload } from '@nestjs/microservices';
import { handleCommand, type StoredEvent } from '@slipway/event-store';
import { OnEvent, PlatformConnection, workflowMetadata } from '@slipway/messaging';
import type { DeploymentRequested, EventData } from '@slipway/proto';
import { buildDecider } from './build.decider';
import { buildOnDeploymentRequested } from './build-on-deployment-requested.workflow';

const CONSUMER = 'build-on-deployment-requested';

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
    for (const [index, command] of commands.entries()) {
      await handleCommand({
        store: this.platform.store,
        stream: { context: 'build', aggregate: 'build', id: command.data.buildId },
        decider: buildDecider,
        command,
        metadata: workflowMetadata(CONSUMER, event, 'build', index),
      });
    }
  }
}
