import { z } from 'zod';
import { defineEvent } from '../event-definition';
import { id } from './common';

const where = { context: 'quota', aggregate: 'project-quota' } as const;

/** Seed ranges: CPU 0.1–16 cores, memory 128–16384 MB, replicas 1–10. */
export const resources = z.object({
  cpu: z.number().min(0).max(16),
  memoryMb: z.number().int().min(0).max(16384),
  replicas: z.number().int().min(0).max(10),
});

export const ResourcesReserved = defineEvent(
  'ResourcesReserved',
  where,
  z.object({ projectId: id, deploymentId: id, resources }),
);
export const ReservationRejected = defineEvent(
  'ReservationRejected',
  where,
  z.object({ projectId: id, deploymentId: id, reason: z.string().min(1) }),
);
export const ResourcesReleased = defineEvent(
  'ResourcesReleased',
  where,
  z.object({ projectId: id, deploymentId: id }),
);

export const quotaEvents = [ResourcesReserved, ReservationRejected, ResourcesReleased] as const;
