import { assertNever, type Decider } from '@slipway/event-store';
import type { BuildFailed, BuildRequested, BuildStarted, BuildSucceeded, EventData } from '@slipway/proto';

export type BuildCommand = { type: 'RequestBuild'; data: EventData<typeof BuildRequested> };

export type BuildEvent =
  | { type: 'BuildRequested'; data: EventData<typeof BuildRequested> }
  | { type: 'BuildStarted'; data: EventData<typeof BuildStarted> }
  | { type: 'BuildSucceeded'; data: EventData<typeof BuildSucceeded> }
  | { type: 'BuildFailed'; data: EventData<typeof BuildFailed> };

export type BuildState = { status: 'none' } | { status: 'requested' | 'running' | 'succeeded' | 'failed'; deploymentId: string };

const decide = (command: BuildCommand, state: BuildState): BuildEvent[] => {
  switch (command.type) {
    case 'RequestBuild':
      // Requested already (a redelivered DeploymentRequested): nothing new to say.
      return state.status === 'none' ? [{ type: 'BuildRequested', data: command.data }] : [];
    default:
      return assertNever(command.type);
  }
};

const evolve = (state: BuildState, event: BuildEvent): BuildState => {
  switch (event.type) {
    case 'BuildRequested':
      return { status: 'requested', deploymentId: event.data.deploymentId };
    case 'BuildStarted':
      return state.status === 'none' ? state : { ...state, status: 'running' };
    case 'BuildSucceeded':
      return state.status === 'none' ? state : { ...state, status: 'succeeded' };
    case 'BuildFailed':
      return state.status === 'none' ? state : { ...state, status: 'failed' };
    default:
      return state;
  }
};

export const buildDecider: Decider<BuildCommand, BuildEvent, BuildState> = { decide, evolve, initialState: { status: 'none' } };
