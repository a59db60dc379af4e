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

/**
 * A backup the backup part writes (ADR 0027, addendum): asked for by the instance owner or by the
 * daily schedule, platform.backup.events.backup.<backupId>. It ends completed or failed, at the
 * latest at its deadline.
 */
const inBackup = { context: 'backup', aggregate: 'backup' } as const;
const archiveFile = z.string().regex(/^slipway-backup-[0-9TZ-]+\.tar$/, 'must be a Slipway archive name');

export const BackupRequested = defineEvent(
  'BackupRequested',
  inBackup,
  z.object({
    backupId: id,
    trigger: z.enum(['manual', 'schedule']),
    requestedAt: timestamp,
    /** The backup fails at this time if it has not ended. */
    deadline: timestamp,
    /** Archives kept in the directory once this one is written (the oldest beyond go). */
    keep: z.number().int().min(1).max(1000),
  }),
);
export const BackupCompleted = defineEvent(
  'BackupCompleted',
  inBackup,
  z.object({
    backupId: id,
    /** The archive's name in the backup directory. */
    file: archiveFile,
    bytes: z.number().int().min(0),
    durationMs: z.number().int().min(0),
    events: z.number().int().min(0),
    images: z.number().int().min(0),
    volumes: z.number().int().min(0),
    /** Older archives retention deleted. */
    pruned: z.array(archiveFile).max(1000),
    completedAt: timestamp,
  }),
);
/** `reason` says what to do next ("set SLIPWAY_BACKUP_PASSPHRASE … and restart Slipway"). */
export const BackupFailed = defineEvent('BackupFailed', inBackup, z.object({ backupId: id, reason: z.string().min(1).max(2000), failedAt: timestamp }));

export const backupEvents = [PlatformRestored, BackupRequested, BackupCompleted, BackupFailed] as const;
