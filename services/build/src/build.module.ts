import { Module } from '@nestjs/common';
import Dockerode from 'dockerode';
import { BuildCleanupHandlers } from './build/build-cleanup.handlers';
import { PreviewCleanupHandlers } from './build/preview-cleanup.handlers';
import { BuildRunnerHandlers } from './build/build-runner.handlers';
import { BuildHandlers } from './build/build.handlers';
import { SourceFilesHandlers } from './build/source-files.handlers';
import { RunningBuilds } from './build/running-builds';
import { BuildCaches } from './runner/build-caches.adapter';
import { buildConfigFromEnv } from './runner';
import { BuildCleanupRunHandlers } from './cleanup/build-cleanup-run.handlers';
import { BuildLeftovers } from './cleanup/build-leftovers';

@Module({
  controllers: [BuildHandlers, BuildRunnerHandlers, BuildCleanupHandlers, SourceFilesHandlers, PreviewCleanupHandlers, BuildCleanupRunHandlers],
  providers: [
    // Shared by the runner and the cleanup: a deleted service's builds stop.
    RunningBuilds,
    {
      provide: BuildCaches,
      useFactory: () => {
        const config = buildConfigFromEnv();
        return new BuildCaches(new Dockerode(config.dockerSocketPath ? { socketPath: config.dockerSocketPath } : {}), config);
      },
    },
    {
      provide: BuildLeftovers,
      useFactory: () => {
        const config = buildConfigFromEnv();
        return new BuildLeftovers(new Dockerode(config.dockerSocketPath ? { socketPath: config.dockerSocketPath } : {}), config);
      },
    },
  ],
})
export class BuildModule {}
