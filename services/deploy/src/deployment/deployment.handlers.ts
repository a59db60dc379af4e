import { Controller, Inject } from '@nestjs/common';
import { Payload } from '@nestjs/microservices';
import { Command, PlatformConnection, type CommandPayload } from '@slipway/messaging';
import { CancelDeployment, RequestDeployment, type CommandMetadata } from '@slipway/proto';
import { deployments } from './deployment.aggregate';
import type { DeploymentCommand } from './deployment.decider';
import { resolveTarget } from './service-catalog';

type RequestData = { deploymentId: string; serviceId: string; projectId: string; trigger?: { kind: 'manual' } };

/** Wiring only: commands from NATS into the deployment decider. */
@Controller()
export class DeploymentHandlers {
  constructor(@Inject(PlatformConnection) private readonly platform: PlatformConnection) {}

  @Command(RequestDeployment)
  async requestDeployment(@Payload() { data, metadata }: CommandPayload<RequestData>) {
    const target = await resolveTarget(this.platform.store, data.projectId, data.serviceId);
    await this.decide({ type: 'RequestDeployment', data: { ...data, ...target, trigger: data.trigger ?? { kind: 'manual' } }, now: metadata.now }, metadata);
    return { deploymentId: data.deploymentId };
  }

  @Command(CancelDeployment)
  async cancelDeployment(@Payload() { data, metadata }: CommandPayload<{ deploymentId: string }>) {
    await this.decide({ type: 'CancelDeployment', data, now: metadata.now }, metadata);
    return { deploymentId: data.deploymentId };
  }

  private decide(command: DeploymentCommand, metadata: CommandMetadata) {
    return deployments.handle(this.platform.store, command.data.deploymentId, command, metadata);
  }
}
