import { BackupCompleted, BackupFailed, BackupRequested, payloadOf } from '@slipway/proto';
import type { Projection } from '../read-models/projection';

/** One backup as the API shows it: who asked (a person or the schedule), how it ended, its archive. */
export interface BackupView {
  id: string;
  trigger: 'manual' | 'schedule';
  status: 'RUNNING' | 'COMPLETED' | 'FAILED';
  requestedAt: string;
  deadline: string;
  finishedAt: string | null;
  /** The archive's name in the backup directory. */
  file: string | null;
  bytes: number | null;
  durationMs: number | null;
  events: number | null;
  images: number | null;
  volumes: number | null;
  keep: number;
  /** Older archives retention deleted when this one was written. */
  pruned: string[];
  /** Why it failed, and what to do next. */
  reason: string | null;
}

/** A document per backup, from its own stream (platform.backup.events.backup.<backupId>). */
export const backupsProjection: Projection<BackupView> = {
  name: 'backups-view',
  collection: 'backups',
  sources: [{ context: 'backup', aggregate: 'backup' }],
  types: ['BackupRequested', 'BackupCompleted', 'BackupFailed'],
  documentId: (e) => e.aggregateId,
  evolve: (view, e) => {
    switch (e.type) {
      case 'BackupRequested': {
        const d = payloadOf(BackupRequested, e);
        const base = { file: null, bytes: null, durationMs: null, events: null, images: null, volumes: null, pruned: [], reason: null };
        return { id: d.backupId, trigger: d.trigger, status: 'RUNNING', requestedAt: d.requestedAt, deadline: d.deadline, finishedAt: null, keep: d.keep, ...base };
      }
      case 'BackupCompleted': {
        if (!view) return null;
        const { backupId: _id, completedAt, ...d } = payloadOf(BackupCompleted, e);
        return { ...view, ...d, status: 'COMPLETED', finishedAt: completedAt };
      }
      case 'BackupFailed': {
        if (!view) return null;
        const d = payloadOf(BackupFailed, e);
        return { ...view, status: 'FAILED', finishedAt: d.failedAt, reason: d.reason };
      }
      default:
        return null;
    }
  },
};
