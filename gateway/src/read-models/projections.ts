import { Logger } from '@nestjs/common';
import type { PlatformConnection } from '@slipway/messaging';
import { auditLogProjection } from '../audit/audit-log.projection';
import { deploymentsProjection } from '../deployments/deployments.projection';
import { credentialsProjection, invitationsProjection, membersProjection, usersProjection } from '../identity/identity.projection';
import { projectsProjection, servicesProjection } from '../projects/projects.projection';
import type { ReadStore } from '../read-store';
import { envVarsProjection } from '../service-settings/env-vars.projection';
import type { Projection } from './projection';
import { ProjectionRunner } from './projection-runner';

/** Every read model the gateway keeps. */
export const projections = [
  projectsProjection,
  servicesProjection,
  deploymentsProjection,
  auditLogProjection,
  usersProjection,
  credentialsProjection,
  membersProjection,
  invitationsProjection,
  envVarsProjection,
];

export type LiveProjections = Map<string, { projection: Projection<object>; runner: ProjectionRunner<object> }>;

/** Starts the projections once NATS is there (the gateway itself boots without it). */
export const startProjections = (platform: PlatformConnection, readStore: ReadStore): LiveProjections => {
  const live: LiveProjections = new Map(
    projections.map((p) => [p.name, { projection: p as Projection<object>, runner: new ProjectionRunner(p as Projection<object>, readStore, platform) }]),
  );
  void platform.ready
    .then(() => Promise.all([...live.values()].map(({ runner }) => runner.start(platform.store))))
    .catch((err) => new Logger('projections').error(`could not start: ${err}`));
  return live;
};
