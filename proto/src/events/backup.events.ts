import { z } from 'zod';
import { defineEvent } from '../event-definition';
import { id, timestamp } from './common';

/**
 * A backup archive was restored into this instance (`npm run restore`): its event history, the
 * platform key, the images in use and the volumes. The deploy service answers it by deploying
 * every running service again from the image it ran (ADR 0027).
 */
export const PlatformRestored = defineEvent(
  'PlatformRestored',
  { context: 'deploy', aggregate: 'restore' },
  z.object({
    restoreId: id,
    /** The archive's file name, as the operator gave it. */
    archive: z.string().min(1).max(512),
    backedUpAt: timestamp,
    restoredAt: timestamp,
    events: z.number().int().min(0),
    images: z.number().int().min(0),
    volumes: z.number().int().min(0),
  }),
);

export const backupEvents = [PlatformRestored] as const;
