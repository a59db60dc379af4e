import { z } from 'zod';
import { defineEvent } from '../event-definition';
import { id, timestamp } from './common';

const where = { context: 'quota', aggregate: 'project-quota' } as const;

/** Seed ranges: CPU 0.1–16 cores, memory 128–16384 MB, replicas 1–10 (per replica, as a service's spec). */
export const resources = z.object({
  cpu: z.number().min(0).max(16),
  memoryMb: z.number().int().min(0).max(16384),
  replicas: z.number().int().min(0).max(10),
});
export type Resources = z.infer<typeof resources>;

/** A project's limits; a field left out is no limit. */
export const quotaLimits = z.object({
  cpu: z.number().min(0.1, 'must be 0.1 to 1024 CPU cores').max(1024, 'must be 0.1 to 1024 CPU cores').optional(),
  memoryMb: z.number().int('must be a whole number of MB').min(128, 'must be 128 MB or more').max(4_194_304, 'must be at most 4194304 MB').optional(),
  replicas: z.number().int('must be a whole number').min(1, 'must be 1 or more').max(10_000, 'must be at most 10000').optional(),
  previews: z.number().int('must be a whole number').min(0, 'must be 0 or more').max(1_000, 'must be at most 1000').optional(),
  storageMb: z.number().int('must be a whole number of MB').min(1, 'must be 1 MB or more').max(104_857_600, 'must be at most 104857600 MB').optional(),
});
export type QuotaLimits = z.infer<typeof quotaLimits>;

/** The instance owner set a project's limits (they replace the instance's defaults for it). */
export const QuotaSet = defineEvent('QuotaSet', where, z.object({ projectId: id, limits: quotaLimits, setAt: timestamp }));
/** The limits of every project without limits of its own: stream quota/instance-quota/default. */
export const DefaultQuotaSet = defineEvent('DefaultQuotaSet', { context: 'quota', aggregate: 'instance-quota' }, z.object({ limits: quotaLimits, setAt: timestamp }));

const reservedV1 = z.object({ projectId: id, deploymentId: id, resources });
/**
 * v2 (issue 13): what is held is keyed by `holder`, the service (or preview copy) that runs it: a
 * new deployment of a service replaces its reservation, and `previous` is what a failed one gives
 * back. `deploymentId` is absent when a scale or a start changed the replicas. v1 was never written.
 */
export const ResourcesReserved = defineEvent('ResourcesReserved', where, reservedV1).withVersion(
  reservedV1.extend({
    deploymentId: id.optional(),
    holder: id,
    previewId: id.optional(),
    previous: resources.optional(),
  }),
  (v1) => ({ ...v1, holder: v1.deploymentId }),
);
export const ReservationRejected = defineEvent(
  'ReservationRejected',
  where,
  z.object({ projectId: id, deploymentId: id, reason: z.string().min(1) }),
);
export const releaseReason = z.enum(['failed', 'cancelled', 'blocked', 'stopped', 'deleted', 'preview-removed']);
const releasedV1 = z.object({ projectId: id, deploymentId: id });
/** v2: by holder; `restored` is what it holds again (a failed redeploy leaves the earlier version running). */
export const ResourcesReleased = defineEvent('ResourcesReleased', where, releasedV1).withVersion(
  releasedV1.extend({ deploymentId: id.optional(), holder: id, reason: releaseReason, restored: resources.optional() }),
  (v1) => ({ ...v1, holder: v1.deploymentId, reason: 'failed' as const }),
);

/** One service's (or preview copy's) holding, as the quota service and the gateway's read model fold it. */
export type QuotaHolding = Resources & { previewId?: string; stopped?: boolean };

/**
 * What a project uses, over its holdings not stopped (and not `except`'s): CPU and memory times
 * replicas, replicas, and its running previews (distinct preview ids).
 */
export const quotaUsage = (held: Record<string, QuotaHolding>, except?: string) => {
  const total = { cpu: 0, memoryMb: 0, replicas: 0, previews: new Set<string>() };
  for (const [holder, h] of Object.entries(held)) {
    if (holder === except || h.stopped) continue;
    total.cpu += h.cpu * h.replicas;
    total.memoryMb += h.memoryMb * h.replicas;
    total.replicas += h.replicas;
    if (h.previewId) total.previews.add(h.previewId);
  }
  return total;
};

export const quotaEvents = [QuotaSet, DefaultQuotaSet, ResourcesReserved, ReservationRejected, ResourcesReleased] as const;
