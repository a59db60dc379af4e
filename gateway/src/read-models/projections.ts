import { Logger } from '@nestjs/common';
import type { PlatformConnection } from '@slipway/messaging';
import { deploymentsProjection } from '../deployments/deployments.projection';
import { projectsProjection, servicesProjection } from '../projects/projects.projection';
import type { ReadStore } from '../read-store';
import { ProjectionRunner } from './projection-runner';

/** Every read model the gateway keeps. */
export const projections = [projectsProjection, servicesProjection, deploymentsProjection];

/** Starts the projections once NATS is there (the gateway itself boots without it). */
export const startProjections = (platform: PlatformConnection, readStore: ReadStore): ProjectionRunner<object>[] => {
  const runners = projections.map((p) => new ProjectionRunner(p as never, readStore, platform));
  void platform.ready
    .then(() => Promise.all(runners.map((r) => r.start(platform.store))))
    .catch((err) => new Logger('projections').error(`could not start: ${err}`));
  return runners;
};
