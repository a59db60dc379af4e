import { Module } from '@nestjs/common';
import Dockerode from 'dockerode';
import { DockerCapacity } from './quota/docker-capacity.adapter';
import { QuotaHandlers } from './quota/quota.handlers';
import { VolumeStorage } from './quota/volume-storage.adapter';

/**
 * The quota service: each project's limits, and what its deployments, scales and previews hold
 * against them and against the machine's own capacity (ADR 0025).
 */
@Module({
  controllers: [QuotaHandlers],
  providers: [
    { provide: DockerCapacity, useFactory: () => new DockerCapacity(new Dockerode({ socketPath: process.env.DOCKER_SOCKET ?? '/var/run/docker.sock' })) },
    { provide: VolumeStorage, useFactory: () => new VolumeStorage() },
  ],
})
export class QuotaModule {}
