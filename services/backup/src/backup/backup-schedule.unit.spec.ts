import type { BackupState } from './backup.decider';
import { backupSettingsFromEnv, backupUnderWay, scheduledBackupDue } from './backup-schedule';

const requested = (backupId: string, requestedAt: string, deadline: string) => ({ backupId, trigger: 'schedule' as const, requestedAt, deadline, keep: 7 });
const running = (id: string, requestedAt: string, deadline: string): [string, BackupState] => [id, { status: 'running', requested: requested(id, requestedAt, deadline) }];
const completed = (id: string, completedAt: string): [string, BackupState] => [
  id,
  {
    status: 'completed',
    requested: requested(id, completedAt, completedAt),
    completed: { backupId: id, file: 'slipway-backup-2026-11-30T03-00-00-000Z.tar', bytes: 1, durationMs: 1, events: 0, images: 0, volumes: 0, pruned: [], completedAt },
  },
];
const failed = (id: string, at: string): [string, BackupState] => [id, { status: 'failed', requested: requested(id, at, at), reason: 'no passphrase', failedAt: at }];
const at = (iso: string) => new Date(iso);

describe('the backup schedule', () => {
  it('is due at once on an instance that never completed a backup', () => {
    expect(scheduledBackupDue(new Map(), at('2026-11-30T10:00:00Z'), 24)).toMatch(/^sched-\d+$/);
  });

  it('is due a whole period after the last completed backup, whoever asked for it, however often the process restarted', () => {
    const all = new Map([completed('bk_manual', '2026-11-30T10:00:00Z')]);
    expect(scheduledBackupDue(all, at('2026-12-01T09:59:59Z'), 24)).toBeUndefined();
    expect(scheduledBackupDue(all, at('2026-12-01T10:00:00Z'), 24)).toBeDefined();
  });

  it('names one backup per period, so two processes (or a restarted one) ask for the same one', () => {
    expect(scheduledBackupDue(new Map(), at('2026-11-30T00:00:01Z'), 24)).toBe(scheduledBackupDue(new Map(), at('2026-11-30T23:59:59Z'), 24));
    expect(scheduledBackupDue(new Map(), at('2026-11-30T23:59:59Z'), 24)).not.toBe(scheduledBackupDue(new Map(), at('2026-12-01T00:00:01Z'), 24));
  });

  it('tries once a period: a failed attempt (no passphrase) is tried again the next period, not every check', () => {
    const now = at('2026-11-30T10:00:00Z');
    const id = scheduledBackupDue(new Map(), now, 24)!;
    const all = new Map([failed(id, '2026-11-30T10:00:00Z')]);
    expect(scheduledBackupDue(all, at('2026-11-30T10:05:00Z'), 24)).toBeUndefined();
    expect(scheduledBackupDue(all, at('2026-12-01T00:00:01Z'), 24)).toBeDefined();
  });

  it('never asks for a second backup while one is being written, until that one\'s deadline', () => {
    const all = new Map([running('bk_1', '2026-11-30T09:58:00Z', '2026-11-30T10:58:00Z')]);
    expect(scheduledBackupDue(all, at('2026-11-30T10:00:00Z'), 24)).toBeUndefined();
    expect(backupUnderWay(all, at('2026-11-30T10:00:00Z'))).toEqual({ backupId: 'bk_1', requestedAt: '2026-11-30T09:58:00Z' });
    expect(backupUnderWay(all, at('2026-11-30T10:58:00Z'))).toBeUndefined();
    expect(backupUnderWay(new Map([completed('bk_2', '2026-11-30T09:59:00Z')]), at('2026-11-30T10:00:00Z'))).toBeUndefined();
  });

  it('is off at 0 hours', () => {
    expect(scheduledBackupDue(new Map(), at('2026-11-30T10:00:00Z'), 0)).toBeUndefined();
  });

  it('reads its settings from the environment: daily, 7 kept, in the directory npm run backup uses', () => {
    expect(backupSettingsFromEnv({ SLIPWAY_DATA_DIR: '/data' })).toEqual({ everyHours: 24, keep: 7, dir: '/data/backups', dataDir: '/data', deadlineMs: 3_600_000, checkMs: 300_000 });
    const custom = backupSettingsFromEnv({ SLIPWAY_DATA_DIR: '/data', SLIPWAY_BACKUP_EVERY_H: '0', SLIPWAY_BACKUP_KEEP: '3', SLIPWAY_BACKUP_DIR: '/mnt/b', SLIPWAY_BACKUP_KEEP_X: '' });
    expect(custom).toMatchObject({ everyHours: 0, keep: 3, dir: '/mnt/b' });
    expect(backupSettingsFromEnv({ SLIPWAY_BACKUP_KEEP: '0' }).keep).toBe(1);
  });
});
