import { Logger } from '@nestjs/common';
import type { PlatformConnection } from '@slipway/messaging';
import { auditLogProjection } from '../audit/audit-log.projection';
import { certificatesProjection } from '../certificates/certificates.projection';
import { instanceSettingsProjection } from '../instance-settings/instance-settings.projection';
import { deploymentsProjection } from '../deployments/deployments.projection';
import { credentialsProjection, invitationsProjection, membersProjection, usersProjection } from '../identity/identity.projection';
import { projectsProjection, servicesProjection } from '../projects/projects.projection';
import type { ReadStore } from '../read-store';
import { envVarsProjection } from '../service-settings/env-vars.projection';
import type { Projection } from './projection';
import { rebuildInPlace } from './projection-rebuild';
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
  certificatesProjection,
  instanceSettingsProjection,
];

export type LiveProjections = Map<string, { projection: Projection<object>; runner: ProjectionRunner<object> }> & { started?: Promise<void> };

const log = new Logger('projections');

/**
 * Documents written by an older version of a projection are rebuilt from the first event before
 * its consumers resume (an upgrade that changed a read model's shape needs no manual step).
 */
const upgrade = async (projection: Projection<object>, platform: PlatformConnection, readStore: ReadStore) => {
  const db = await readStore.db();
  const versions = db.collection<{ _id: string; version?: number }>('read_model_versions');
  const wanted = projection.version ?? 1;
  // One gateway upgrades (an insert of the same _id fails for every other); the rest start at once:
  // their consumers' writes are idempotent, and the rebuilt documents replace them.
  const mine = await versions.insertOne({ _id: `${projection.name}@${wanted}` }).then(
    () => true,
    (err: { code?: number }) => (err.code === 11000 ? false : Promise.reject(err)),
  );
  if (!mine) return;
  const stored = (await versions.findOne({ _id: projection.name }))?.version ?? 1;
  if (stored !== wanted && (await db.collection(projection.collection).findOne({}))) {
    const started = Date.now();
    const result = await rebuildInPlace(projection, platform.store, readStore);
    log.log(`${projection.name}: rebuilt from version ${stored} to ${wanted} (${result.events} events, ${result.documents} documents, ${Date.now() - started} ms)`);
  }
  await versions.updateOne({ _id: projection.name }, { $set: { version: wanted } }, { upsert: true });
};

/** Starts the projections once NATS is there (the gateway itself boots without it). */
export const startProjections = (platform: PlatformConnection, readStore: ReadStore): LiveProjections => {
  const live: LiveProjections = new Map(
    projections.map((p) => [p.name, { projection: p as Projection<object>, runner: new ProjectionRunner(p as Projection<object>, readStore, platform) }]),
  );
  live.started = platform.ready
    .then(() =>
      Promise.all(
        [...live.values()].map(async ({ projection, runner }) => {
          await upgrade(projection, platform, readStore).catch((err) => log.error(`${projection.name}: could not upgrade: ${err}`));
          await runner.start(platform.store);
        }),
      ),
    )
    .then(() => undefined)
    .catch((err) => log.error(`could not start: ${err}`));
  return live;
};
