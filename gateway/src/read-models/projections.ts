import { Logger } from '@nestjs/common';
import type { PlatformConnection } from '@slipway/messaging';
import { auditLogProjection } from '../audit/audit-log.projection';
import { certificatesProjection } from '../certificates/certificates.projection';
import { instanceSettingsProjection } from '../instance-settings/instance-settings.projection';
import { deploymentsProjection } from '../deployments/deployments.projection';
import { credentialsProjection, invitationsProjection, membersProjection, usersProjection } from '../identity/identity.projection';
import { projectsProjection, servicesProjection } from '../projects/projects.projection';
import { composeImportsProjection } from '../compose/compose.projection';
import { previewSettingsProjection, previewsProjection } from '../previews/previews.projection';
import { alertRulesProjection, alertsProjection, notificationChannelsProjection, smtpSettingsProjection } from '../alerts/alerts.projection';
import { quotaProjection } from '../quota/quota.projection';
import type { ReadStore } from '../read-store';
import { cleanupRunsProjection } from '../cleanup/cleanup.projection';
import { backupsProjection } from '../backups/backups.projection';
import { envVarsProjection } from '../service-settings/env-vars.projection';
import type { Projection } from './projection';
import { rebuildInPlace } from './projection-rebuild';
import { ProjectionRunner } from './projection-runner';
import { JetStreamWriterLeases } from './writer-leases.adapter';

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
  composeImportsProjection,
  previewsProjection,
  previewSettingsProjection,
  notificationChannelsProjection,
  alertRulesProjection,
  alertsProjection,
  smtpSettingsProjection,
  quotaProjection,
  cleanupRunsProjection,
  backupsProjection,
];

export type LiveProjections = Map<string, { projection: Projection<object>; runner: ProjectionRunner<object> }> & { started?: Promise<void> };

const log = new Logger('projections');

/**
 * Documents written by an older version of a projection are rebuilt from the first event before
 * its consumers resume (an upgrade that changed a read model's shape needs no manual step). Run by
 * the writer only, each time a gateway becomes it, before it subscribes: no other gateway writes
 * the projection meanwhile.
 */
const upgrade = async (projection: Projection<object>, platform: PlatformConnection, readStore: ReadStore, mayWrite: () => boolean) => {
  const db = await readStore.db();
  const versions = db.collection<{ _id: string; version?: number }>('read_model_versions');
  const wanted = projection.version ?? 1;
  const stored = (await versions.findOne({ _id: projection.name }))?.version ?? 1;
  if (stored === wanted) return;
  if (await db.collection(projection.collection).findOne({})) {
    const started = Date.now();
    const result = await rebuildInPlace(projection, platform.store, readStore, mayWrite);
    log.log(`${projection.name}: rebuilt from version ${stored} to ${wanted} (${result.events} events, ${result.documents} documents, ${Date.now() - started} ms)`);
  }
  await versions.updateOne({ _id: projection.name }, { $set: { version: wanted } }, { upsert: true });
};

/**
 * Starts the projections once NATS is there (the gateway itself boots without it). Every gateway
 * takes part; each projection is written by the one gateway holding its writer lease (ADR 0011).
 */
export const startProjections = (platform: PlatformConnection, readStore: ReadStore): LiveProjections => {
  const live: LiveProjections = new Map(
    projections.map((p) => {
      const projection = p as Projection<object>;
      const beforeWriting = (mayWrite: () => boolean) =>
        upgrade(projection, platform, readStore, mayWrite).catch((err) => log.error(`${projection.name}: could not upgrade: ${err}`));
      return [projection.name, { projection, runner: new ProjectionRunner(projection, readStore, { platform, beforeWriting }) }];
    }),
  );
  live.started = platform.ready
    .then(() => JetStreamWriterLeases.open(platform.connection))
    .then((writers) => Promise.all([...live.values()].map(({ runner }) => runner.start(platform.store, writers))))
    .then(() => undefined)
    .catch((err) => log.error(`could not start: ${err}`));
  return live;
};

/** Stops writing and frees the writer leases, so another gateway takes over at once rather than after they expire. */
export const stopProjections = async (live: LiveProjections): Promise<void> => {
  await live.started;
  await Promise.all([...live.values()].map(({ runner }) => runner.stop()));
};
