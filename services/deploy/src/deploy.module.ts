import { Module } from '@nestjs/common';
import Dockerode from 'dockerode';
import { DeploymentDeadlineHandlers } from './deployment/deployment-deadlines.handlers';
import { DeploymentWorkflowHandlers } from './deployment/deployment-workflows.handlers';
import { DeploymentHandlers } from './deployment/deployment.handlers';
import { ProjectDeploymentHandlers } from './deployment/project-deployment.handlers';
import { IMAGE_PROCESS_READER, RolloutRunnerHandlers } from './deployment/rollout-runner.handlers';
import { ServiceRuntimeHandlers } from './deployment/service-runtime.handlers';
import { registryImageProcessReader } from './swarm';
import { RegistryCleanup } from './deployment/registry-cleanup.adapter';
import { SwarmRuntime } from './swarm/swarm-runtime.adapter';
import { SwarmVolumes } from './swarm/swarm-volumes.adapter';
import { VolumeHandlers } from './deployment/volume.handlers';
import { RestoreHandlers } from './deployment/restore.handlers';
import { PreviewDeploymentHandlers } from './preview/preview-deployment.handlers';
import { CleanupHandlers } from './cleanup/cleanup.handlers';
import { RegistryTags } from './cleanup/registry-tags.adapter';
import { SwarmInventory } from './cleanup/swarm-inventory.adapter';

/** The deploy service; its adapters (Docker, the registry) are provided here, so handlers are wiring. */
@Module({
  controllers: [DeploymentHandlers, ProjectDeploymentHandlers, DeploymentWorkflowHandlers, RolloutRunnerHandlers, DeploymentDeadlineHandlers, ServiceRuntimeHandlers, VolumeHandlers, PreviewDeploymentHandlers, CleanupHandlers, RestoreHandlers],
  providers: [
    { provide: IMAGE_PROCESS_READER, useFactory: () => registryImageProcessReader() },
    { provide: Dockerode, useFactory: () => new Dockerode({ socketPath: process.env.DOCKER_SOCKET ?? '/var/run/docker.sock' }) },
    { provide: SwarmRuntime, useFactory: (docker: Dockerode) => new SwarmRuntime(docker), inject: [Dockerode] },
    { provide: SwarmVolumes, useFactory: (docker: Dockerode) => new SwarmVolumes(docker), inject: [Dockerode] },
    { provide: RegistryCleanup, useFactory: () => new RegistryCleanup() },
    { provide: SwarmInventory, useFactory: (docker: Dockerode) => new SwarmInventory(docker), inject: [Dockerode] },
    { provide: RegistryTags, useFactory: () => new RegistryTags() },
  ],
})
export class DeployModule {}
