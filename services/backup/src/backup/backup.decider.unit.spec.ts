import { deciderSpec } from '@slipway/testing';
import { backupDecider, BackupRefused, type BackupEvent } from './backup.decider';

const { given } = deciderSpec(backupDecider);

const request = (trigger: 'manual' | 'schedule' = 'manual', backupId = 'bk_1') => ({
  backupId,
  trigger,
  requestedAt: '2026-11-30T03:00:00.000Z',
  deadline: '2026-11-30T04:00:00.000Z',
  keep: 7,
});
const requested = (trigger: 'manual' | 'schedule' = 'manual'): BackupEvent => ({ type: 'BackupRequested', data: request(trigger) });
const written = {
  backupId: 'bk_1',
  file: 'slipway-backup-2026-11-30T03-00-00-000Z.tar',
  bytes: 1_000,
  durationMs: 1_800,
  events: 40,
  images: 1,
  volumes: 2,
  pruned: [],
  completedAt: '2026-11-30T03:00:02.000Z',
};
const noPassphrase = 'No backup passphrase is set, and the platform key in a backup is sealed with it: write one …';

describe('a backup', () => {
  it('is asked for, then completed with its file, size and duration', () => {
    given([]).when({ type: 'RequestBackup', data: request(), facts: {} }).then([requested()]);
    given([requested()]).when({ type: 'CompleteBackup', data: written }).then([{ type: 'BackupCompleted', data: written }]);
  });

  it('fails with a reason a person can act on, once', () => {
    const failed: BackupEvent = { type: 'BackupFailed', data: { backupId: 'bk_1', reason: 'The backup could not be written: disk full. Fix that, then ask for a new backup', failedAt: '2026-11-30T03:01:00.000Z' } };
    given([requested()]).when({ type: 'FailBackup', data: { backupId: 'bk_1', reason: failed.data.reason }, now: failed.data.failedAt }).then([failed]);
    given([requested(), failed]).when({ type: 'FailBackup', data: { backupId: 'bk_1', reason: 'deadline' }, now: '2026-11-30T04:00:00.000Z' }).then([]);
    given([requested(), failed]).when({ type: 'CompleteBackup', data: written }).then([]);
  });

  it('ends once: a late failure (the deadline) after it completed records nothing', () => {
    given([requested(), { type: 'BackupCompleted', data: written }]).when({ type: 'FailBackup', data: { backupId: 'bk_1', reason: 'deadline' }, now: '2026-11-30T04:00:00.000Z' }).then([]);
  });

  it('asked for again (a redelivered command) records nothing twice', () => {
    given([requested()]).when({ type: 'RequestBackup', data: request(), facts: {} }).then([]);
  });

  it('refuses a person while another backup is being written, in words that say what to do', () => {
    given([])
      .when({ type: 'RequestBackup', data: request(), facts: { underWay: { backupId: 'bk_0', requestedAt: '2026-11-30T02:59:00.000Z' } } })
      .thenThrows(/A backup is being written already \(asked for at 2026-11-30T02:59:00.000Z\): wait for it to end/);
  });

  it('refuses a person when no passphrase is set, and records nothing', () => {
    given([]).when({ type: 'RequestBackup', data: request(), facts: { passphraseProblem: noPassphrase } }).thenThrows(BackupRefused);
    expect(() => backupDecider.decide({ type: 'RequestBackup', data: request(), facts: { passphraseProblem: noPassphrase } }, backupDecider.initialState)).toThrow(
      expect.objectContaining({ code: 'BACKUP_PASSPHRASE_MISSING', message: noPassphrase }),
    );
  });

  it('records why a scheduled backup did not run when no passphrase is set', () => {
    given([])
      .when({ type: 'RequestBackup', data: request('schedule'), facts: { passphraseProblem: noPassphrase } })
      .then([requested('schedule'), { type: 'BackupFailed', data: { backupId: 'bk_1', reason: noPassphrase, failedAt: '2026-11-30T03:00:00.000Z' } }]);
  });
});
