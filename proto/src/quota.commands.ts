import { z } from 'zod';
import { defineCommand } from './commands';
import { id } from './events/common';
import { quotaLimits, resources } from './events/quota.events';

/** A project's limits (instance owner); a field left out is no limit. */
export const SetProjectQuota = defineCommand('quota', 'set-project-quota', z.object({ projectId: id, limits: quotaLimits }));
/** The limits of every project without its own (instance owner). */
export const SetDefaultQuota = defineCommand('quota', 'set-default-quota', z.object({ limits: quotaLimits }));
/**
 * Asked before a scale or a start: refused (QUOTA_EXCEEDED) when the service would take its project
 * over a limit or the machine over its capacity. Records nothing; the quota follows the change's event.
 */
export const CheckServiceChange = defineCommand(
  'quota',
  'check-service-change',
  z.object({ projectId: id, serviceId: id, projectName: z.string().min(1).max(64), resources }),
);
