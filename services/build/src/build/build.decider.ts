import { assertNever, type Decider } from '@slipway/event-store';
import type { BuildFailed, BuildRequested, BuildStarted, BuildSucceeded, EventData } from '@slipway/proto';

export type BuildCommand =
  | { type: 'RequestBuild'; data: EventData<typeof BuildRequested> }
  | { type: 'StartBuild'; data: EventData<typeof BuildStarted> }
  | { type: 'CompleteBuild'; data: EventData<typeof BuildSucceeded> }
  | { type: 'FailBuild'; data: EventData<typeof BuildFailed> };

export type BuildEvent =
  | { type: 'BuildRequested'; data: EventData<typeof BuildRequested> }
  | { type: 'BuildStarted'; data: EventData<typeof BuildStarted> }
  | { type: 'BuildSucceeded'; data: EventData<typeof BuildSucceeded> }
  | { type: 'BuildFailed'; data: EventData<typeof BuildFailed> };

export type BuildState = { status: 'none' | 'requested' | 'running' | 'succeeded' | 'failed' };

const finished = (s: BuildState) => s.status === 'succeeded' || s.status === 'failed';

/** requested → running → succeeded | failed. Every step is idempotent: redelivery says nothing new. */
const decide = (command: BuildCommand, state: BuildState): BuildEvent[] => {
  switch (command.type) {
    case 'RequestBuild':
      return state.status === 'none' ? [{ type: 'BuildRequested', data: command.data }] : [];
    case 'StartBuild':
      return state.status === 'requested' ? [{ type: 'BuildStarted', data: command.data }] : [];
    case 'CompleteBuild':
      return finished(state) || state.status === 'none' ? [] : [{ type: 'BuildSucceeded', data: command.data }];
    case 'FailBuild':
      return finished(state) || state.status === 'none' ? [] : [{ type: 'BuildFailed', data: command.data }];
    default:
      return assertNever(command);
  }
};

const next: Record<BuildEvent['type'], BuildState['status']> = {
  BuildRequested: 'requested',
  BuildStarted: 'running',
  BuildSucceeded: 'succeeded',
  BuildFailed: 'failed',
};

export const buildDecider: Decider<BuildCommand, BuildEvent, BuildState> = {
  decide,
  evolve: (_state, event) => ({ status: next[event.type] }),
  initialState: { status: 'none' },
};
