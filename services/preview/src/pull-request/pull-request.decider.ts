import type { Decider } from '@slipway/event-store';
import type { EventData, PullRequestReceived } from '@slipway/proto';

type Received = EventData<typeof PullRequestReceived>;
export type RecordPullRequest = { type: 'RecordPullRequest'; data: Received };
export type PullRequestEvent = { type: 'PullRequestReceived'; data: Received };
export type PullRequestState = { deliveries: string[] };

/**
 * Every pull-request event a git host sends, once per delivery. The preview environments that
 * react to them are built on this stream.
 */
export const pullRequestDecider: Decider<RecordPullRequest, PullRequestEvent, PullRequestState> = {
  initialState: { deliveries: [] },
  evolve: (state, event) => ({ deliveries: [...state.deliveries, event.data.deliveryId] }),
  decide: (command, state) =>
    state.deliveries.includes(command.data.deliveryId) ? [] : [{ type: 'PullRequestReceived', data: command.data }],
};

/** One stream per pull request of a project. */
export const pullRequestStream = (projectId: string, number: number) =>
  ({ context: 'preview', aggregate: 'pull-request', id: `${projectId}-pr-${number}` }) as const;
