import { Controller, Inject } from '@nestjs/common';
import { Payload } from '@nestjs/microservices';
import { handleCommand } from '@slipway/event-store';
import { Command, PlatformConnection, type CommandPayload } from '@slipway/messaging';
import { CancelDeployment, RequestDeployment } from '@slipway/proto';
import { deploymentDecider } from './deployment.decider';

const stream = (deploymentId: string) => ({ context: 'deploy', aggregate: 'deployment', id: deploymentId }) as const;

/** Wiring only: commands from NATS into the deployment decider. */
@Controller()
export class DeploymentHandlers {
  constructor(@Inject(PlatformConnection) private readonly platform: PlatformConnection) {}

  @Command(RequestDeployment)
  async requestDeployment(@Payload() { data, metadata }: CommandPayload<{ deploymentId: string; serviceId: string; projectId: string }>) {
    await handleCommand({
      store: this.platform.store,
      stream: stream(data.deploymentId),
      decider: deploymentDecider,
      command: { type: 'RequestDeployment', data, now: metadata.now },
      metadata,
    });
    return { deploymentId: data.deploymentId };
  }

  @Command(CancelDeployment)
  async cancelDeployment(@Payload() { data, metadata }: CommandPayload<{ deploymentId: string }>) {
    await handleCommand({
      store: this.platform.store,
      stream: stream(data.deploymentId),
      decider: deploymentDecider,
      command: { type: 'CancelDeployment', data, now: metadata.now },
      metadata,
    });
    return { deploymentId: data.deploymentId };
  }
}
