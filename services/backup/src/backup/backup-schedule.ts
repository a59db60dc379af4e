import { join } from 'node:path';
import type { BackupState } from './backup.decider';

const HOUR = 3_600_000;
const number = (env: NodeJS.ProcessEnv, name: string, fallback: number) => {
  const value = Number(env[name] ?? fallback);
  return Number.isFinite(value) && value >= 0 ? value : fallback;
};

export interface BackupSettings {
  /** Hours between scheduled backups; 0: none (the owner can still ask for one). */
  everyHours: number;
  /** Archives kept in `dir`; the oldest beyond go once a new one is written. */
  keep: number;
  /** Where archives go: the directory `npm run backup` writes to. */
  dir: string;
  dataDir: string;
  /** A backup not ended by then fails, saying what to look at. */
  deadlineMs: number;
  /** How often the schedule is looked at. */
  checkMs: number;
}

export const backupSettingsFromEnv = (env: NodeJS.ProcessEnv = process.env): BackupSettings => {
  const dataDir = env.SLIPWAY_DATA_DIR ?? '/var/lib/slipway';
  return {
    everyHours: number(env, 'SLIPWAY_BACKUP_EVERY_H', 24),
    keep: Math.max(1, Math.floor(number(env, 'SLIPWAY_BACKUP_KEEP', 7))),
    dir: env.SLIPWAY_BACKUP_DIR || join(dataDir, 'backups'),
    dataDir,
    deadlineMs: Math.max(1, number(env, 'SLIPWAY_BACKUP_DEADLINE_S', 3600)) * 1000,
    checkMs: Math.max(1, number(env, 'SLIPWAY_BACKUP_CHECK_S', 300)) * 1000,
  };
};

/** The backup being written now: asked for, not ended, before its deadline. */
export const backupUnderWay = (all: ReadonlyMap<string, BackupState>, now: Date): { backupId: string; requestedAt: string } | undefined => {
  for (const [backupId, s] of all) {
    if (s.status === 'running' && Date.parse(s.requested.deadline) > now.getTime()) return { backupId, requestedAt: s.requested.requestedAt };
  }
  return undefined;
};

/**
 * The id of the scheduled backup due now, if one is. Due when no backup (scheduled or asked for)
 * completed within the last `everyHours`, none is being written, and the schedule has not tried
 * in this period yet. Everything comes from the events, nothing from when this process started:
 * a restart neither skips a backup nor writes one twice. The id is the period's, so two processes
 * that both find it due append to the same new stream, and only the first one can.
 */
export const scheduledBackupDue = (all: ReadonlyMap<string, BackupState>, now: Date, everyHours: number): string | undefined => {
  if (!everyHours) return undefined;
  const every = everyHours * HOUR;
  const id = `sched-${Math.floor(now.getTime() / every)}`;
  if (all.has(id) || backupUnderWay(all, now)) return undefined;
  const lastCompleted = Math.max(0, ...[...all.values()].flatMap((s) => (s.status === 'completed' ? [Date.parse(s.completed.completedAt)] : [])));
  return now.getTime() - lastCompleted >= every ? id : undefined;
};
