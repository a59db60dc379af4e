import { Module } from '@nestjs/common';
import { DeploymentDeadlineHandlers } from './deployment/deployment-deadlines.handlers';
import { DeploymentWorkflowHandlers } from './deployment/deployment-workflows.handlers';
import { DeploymentHandlers } from './deployment/deployment.handlers';
import { RolloutRunnerHandlers } from './deployment/rollout-runner.handlers';

@Module({ controllers: [DeploymentHandlers, DeploymentWorkflowHandlers, RolloutRunnerHandlers, DeploymentDeadlineHandlers] })
export class DeployModule {}
