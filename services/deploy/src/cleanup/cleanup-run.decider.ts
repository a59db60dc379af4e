import { aggregate, assertNever, type Decider } from '@slipway/event-store';
import { DomainError } from '@slipway/messaging';
import { cleanupParts, type CleanupFailed, type CleanupFinished, type CleanupItemRemoved, type CleanupPart, type CleanupPartReported, type CleanupStarted, type EventData } from '@slipway/proto';

type Data<D> = EventData<D>;
type Report = Omit<Data<typeof CleanupPartReported>, 'runId'>;

export type CleanupRunCommand =
  | { type: 'StartCleanup'; data: Data<typeof CleanupStarted> }
  | { type: 'RecordRemoval'; data: Data<typeof CleanupItemRemoved> }
  | { type: 'ReportPart'; data: Data<typeof CleanupPartReported>; now: string }
  | { type: 'FailCleanup'; data: { runId: string; reason: string }; now: string };

export type CleanupRunEvent =
  | { type: 'CleanupStarted'; data: Data<typeof CleanupStarted> }
  | { type: 'CleanupItemRemoved'; data: Data<typeof CleanupItemRemoved> }
  | { type: 'CleanupPartReported'; data: Data<typeof CleanupPartReported> }
  | { type: 'CleanupFinished'; data: Data<typeof CleanupFinished> }
  | { type: 'CleanupFailed'; data: Data<typeof CleanupFailed> };

export type CleanupRunState =
  | { status: 'none' }
  | { status: 'running' | 'finished' | 'failed'; started: Data<typeof CleanupStarted>; parts: Partial<Record<CleanupPart, Report>>; reason?: string };

/** The parts still to report, in the order they are named to people. */
export const missingParts = (state: CleanupRunState): CleanupPart[] => (state.status === 'none' ? [...cleanupParts] : cleanupParts.filter((p) => !state.parts[p]));

/**
 * A run: started → each part reports once → finished when all three did (failed when one reported
 * an error), or failed at the deadline. Removals are recorded as they happen, even after the end:
 * a part that finishes late still says what it removed.
 */
export const cleanupRunDecider: Decider<CleanupRunCommand, CleanupRunEvent, CleanupRunState> = {
  initialState: { status: 'none' },
  decide(command, state) {
    switch (command.type) {
      case 'StartCleanup':
        return state.status === 'none' ? [{ type: 'CleanupStarted', data: command.data }] : [];
      case 'RecordRemoval':
        if (state.status === 'none') throw new DomainError('CLEANUP_NOT_FOUND', `No clean-up run ${command.data.runId}`, 'runId');
        return [{ type: 'CleanupItemRemoved', data: command.data }];
      case 'ReportPart': {
        if (state.status !== 'running' || state.parts[command.data.part]) return [];
        const reported: CleanupRunEvent = { type: 'CleanupPartReported', data: command.data };
        const parts = { ...state.parts, [command.data.part]: command.data };
        if (cleanupParts.some((p) => !parts[p])) return [reported];
        const all = cleanupParts.map((p) => parts[p]!);
        const errors = all.filter((p) => p.error).map((p) => `${p.part}: ${p.error}`);
        const { runId } = state.started;
        if (errors.length) return [reported, { type: 'CleanupFailed', data: { runId, reason: `Part of the clean-up could not finish (${errors.join('; ')})`, finishedAt: command.now } }];
        const itemCount = all.reduce((n, p) => n + p.items.length, 0);
        const reclaimedBytes = all.reduce((n, p) => n + p.reclaimedBytes, 0);
        return [reported, { type: 'CleanupFinished', data: { runId, dryRun: state.started.dryRun, itemCount, reclaimedBytes, finishedAt: command.now } }];
      }
      case 'FailCleanup':
        return state.status === 'running' ? [{ type: 'CleanupFailed', data: { ...command.data, finishedAt: command.now } }] : [];
      default:
        return assertNever(command);
    }
  },
  evolve(state, event) {
    switch (event.type) {
      case 'CleanupStarted':
        return { status: 'running', started: event.data, parts: {} };
      case 'CleanupItemRemoved':
        return state;
      case 'CleanupPartReported':
        return state.status === 'none' ? state : { ...state, parts: { ...state.parts, [event.data.part]: event.data } };
      case 'CleanupFinished':
        return state.status === 'none' ? state : { ...state, status: 'finished' };
      case 'CleanupFailed':
        return state.status === 'none' ? state : { ...state, status: 'failed', reason: event.data.reason };
      default:
        return assertNever(event);
    }
  },
};

/** The run bound to its stream: platform.deploy.events.cleanup.<runId>. */
export const cleanupRuns = aggregate({
  decider: cleanupRunDecider,
  stream: (runId) => ({ context: 'deploy', aggregate: 'cleanup', id: runId }),
});
