import { Module } from '@nestjs/common';
import { DeploymentHandlers } from './deployment/deployment.handlers';

@Module({ controllers: [DeploymentHandlers] })
export class DeployModule {}
