import { Module } from '@nestjs/common';
import { DeploymentDeadlineHandlers } from './deployment/deployment-deadlines.handlers';
import { DeploymentWorkflowHandlers } from './deployment/deployment-workflows.handlers';
import { DeploymentHandlers } from './deployment/deployment.handlers';
import { IMAGE_PROCESS_READER, RolloutRunnerHandlers } from './deployment/rollout-runner.handlers';
import { registryImageProcessReader } from './swarm';

@Module({
  controllers: [DeploymentHandlers, DeploymentWorkflowHandlers, RolloutRunnerHandlers, DeploymentDeadlineHandlers],
  providers: [{ provide: IMAGE_PROCESS_READER, useFactory: () => registryImageProcessReader() }],
})
export class DeployModule {}
