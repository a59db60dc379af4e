import { assertNever, type Decider } from '@slipway/event-store';
import type { BackupCompleted, BackupFailed, BackupRequested, EventData } from '@slipway/proto';

type Data<D> = EventData<D>;
type Requested = Data<typeof BackupRequested>;

/** A refusal in the asker's words; the command transport answers it with its code. */
export class BackupRefused extends Error {
  constructor(
    readonly code: 'BACKUP_RUNNING' | 'BACKUP_PASSPHRASE_MISSING',
    message: string,
  ) {
    super(message);
    this.name = 'BackupRefused';
  }
}

/**
 * What the asker knows beside the command: whether this part has a passphrase (and, if not, the
 * sentence that says how to give one), and which backup is being written now, if any.
 */
export interface RequestFacts {
  passphraseProblem?: string;
  underWay?: { backupId: string; requestedAt: string };
}

export type BackupCommand =
  | { type: 'RequestBackup'; data: Requested; facts: RequestFacts }
  | { type: 'CompleteBackup'; data: Data<typeof BackupCompleted> }
  | { type: 'FailBackup'; data: { backupId: string; reason: string }; now: string };

export type BackupEvent =
  | { type: 'BackupRequested'; data: Requested }
  | { type: 'BackupCompleted'; data: Data<typeof BackupCompleted> }
  | { type: 'BackupFailed'; data: Data<typeof BackupFailed> };

export type BackupState =
  | { status: 'none' }
  | { status: 'running'; requested: Requested }
  | { status: 'completed'; requested: Requested; completed: Data<typeof BackupCompleted> }
  | { status: 'failed'; requested: Requested; reason: string; failedAt: string };

/**
 * One backup: requested → completed or failed, once. A person asking while another backup is
 * written, or without a passphrase, is refused (nothing recorded); the schedule without a
 * passphrase records its attempt and why it failed, so the audit trail says what to do.
 */
export const backupDecider: Decider<BackupCommand, BackupEvent, BackupState> = {
  initialState: { status: 'none' },
  decide(command, state) {
    switch (command.type) {
      case 'RequestBackup': {
        if (state.status !== 'none') return [];
        const { data, facts } = command;
        if (facts.underWay && facts.underWay.backupId !== data.backupId) {
          throw new BackupRefused('BACKUP_RUNNING', `A backup is being written already (asked for at ${facts.underWay.requestedAt}): wait for it to end, the backups query shows when it does`);
        }
        if (facts.passphraseProblem) {
          if (data.trigger === 'manual') throw new BackupRefused('BACKUP_PASSPHRASE_MISSING', facts.passphraseProblem);
          return [
            { type: 'BackupRequested', data },
            { type: 'BackupFailed', data: { backupId: data.backupId, reason: facts.passphraseProblem, failedAt: data.requestedAt } },
          ];
        }
        return [{ type: 'BackupRequested', data }];
      }
      case 'CompleteBackup':
        return state.status === 'running' ? [{ type: 'BackupCompleted', data: command.data }] : [];
      case 'FailBackup':
        return state.status === 'running' ? [{ type: 'BackupFailed', data: { ...command.data, failedAt: command.now } }] : [];
      default:
        return assertNever(command);
    }
  },
  evolve(state, event) {
    switch (event.type) {
      case 'BackupRequested':
        return { status: 'running', requested: event.data };
      case 'BackupCompleted':
        return state.status === 'none' ? state : { status: 'completed', requested: state.requested, completed: event.data };
      case 'BackupFailed':
        return state.status === 'none' ? state : { status: 'failed', requested: state.requested, reason: event.data.reason, failedAt: event.data.failedAt };
      default:
        return assertNever(event);
    }
  },
};
