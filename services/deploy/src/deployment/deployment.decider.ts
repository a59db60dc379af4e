import { assertNever, type Decider } from '@slipway/event-store';
import { DomainError } from '@slipway/messaging';
import type {
  DeploymentBlocked,
  DeploymentCancelled,
  DeploymentFailed,
  DeploymentReleased,
  DeploymentRequested,
  DeploymentRolledBack,
  DeploymentRolledOut,
  DeploymentStarted,
  DeploymentSucceeded,
  EventData,
} from '@slipway/proto';

type Data<D> = EventData<D>;

export type DeploymentCommand =
  | { type: 'RequestDeployment'; data: RequestData; now: string }
  /** A deployment it waits for ended: release it, block it, or keep waiting (see dependency-wait.ts). */
  | { type: 'SettleDependencies'; data: { deploymentId: string; dependencies: readonly AwaitedOutcome[] }; now: string }
  | { type: 'StartRollout'; data: { deploymentId: string; imageRef: string }; now: string }
  | { type: 'MarkRolledOut'; data: Omit<Data<typeof DeploymentRolledOut>, 'rolledOutAt'>; now: string }
  | { type: 'MarkSucceeded'; data: { deploymentId: string; url: string }; now: string }
  | { type: 'MarkRolledBack'; data: Data<typeof DeploymentRolledBack> }
  | { type: 'MarkFailed'; data: { deploymentId: string; reason: string }; now: string }
  | { type: 'CancelDeployment'; data: { deploymentId: string }; now: string };

export type DeploymentEvent =
  | { type: 'DeploymentRequested'; data: Data<typeof DeploymentRequested> }
  | { type: 'DeploymentReleased'; data: Data<typeof DeploymentReleased> }
  | { type: 'DeploymentBlocked'; data: Data<typeof DeploymentBlocked> }
  | { type: 'DeploymentStarted'; data: Data<typeof DeploymentStarted> }
  | { type: 'DeploymentRolledOut'; data: Data<typeof DeploymentRolledOut> }
  | { type: 'DeploymentSucceeded'; data: Data<typeof DeploymentSucceeded> }
  | { type: 'DeploymentRolledBack'; data: Data<typeof DeploymentRolledBack> }
  | { type: 'DeploymentFailed'; data: Data<typeof DeploymentFailed> }
  | { type: 'DeploymentCancelled'; data: Data<typeof DeploymentCancelled> };

type RequestData = Omit<Data<typeof DeploymentRequested>, 'requestedAt' | 'waitsFor' | 'dependents'> &
  Partial<Pick<Data<typeof DeploymentRequested>, 'waitsFor' | 'dependents'>>;

export type DeploymentStatus = 'waiting' | 'queued' | 'rolling-out' | 'rolled-out' | 'succeeded' | 'failed' | 'cancelled' | 'blocked';

/**
 * waiting (for its dependencies' deployments) → queued (waiting for or building its image) →
 * rolling-out → rolled-out → succeeded; any unfinished one may fail; a waiting or queued one may be
 * cancelled; a waiting one is blocked when a deployment it waits for does not succeed.
 * `since` is when the current status began: the deadline of each phase counts from it.
 * `reason`: why it failed or was blocked, quoted by the deployments that wait for it.
 */
export type DeploymentState =
  | { status: 'none' }
  | { status: DeploymentStatus; request: Data<typeof DeploymentRequested>; since: string; imageRef?: string; reason?: string };

export const finished = (s: DeploymentState) =>
  s.status === 'succeeded' || s.status === 'failed' || s.status === 'cancelled' || s.status === 'blocked';

/** What a waiting deployment needs to know of one it waits for. */
export interface AwaitedOutcome {
  deploymentId: string;
  serviceName: string;
  status: DeploymentStatus | 'none';
  reason?: string;
}

const notSucceeded: Partial<Record<DeploymentStatus, string>> = { failed: 'failed', cancelled: 'was cancelled', blocked: 'was blocked' };

/** Blocked by the first dependency that did not succeed; released once all did; else still waiting. */
const settle = (deploymentId: string, dependencies: readonly AwaitedOutcome[], now: string): DeploymentEvent[] => {
  const stopper = dependencies.find((d) => d.status !== 'none' && notSucceeded[d.status]);
  if (stopper) {
    const how = notSucceeded[stopper.status as DeploymentStatus]!;
    const reason = `Not deployed: its dependency ${stopper.serviceName} ${how}${stopper.reason ? `: ${stopper.reason}` : ''}`;
    return [{ type: 'DeploymentBlocked', data: { deploymentId, blockedBy: stopper.deploymentId, reason, finishedAt: now } }];
  }
  return dependencies.every((d) => d.status === 'succeeded') ? [{ type: 'DeploymentReleased', data: { deploymentId, releasedAt: now } }] : [];
};

const mustExist = (state: DeploymentState, deploymentId: string) => {
  if (state.status === 'none') throw new DomainError('DEPLOYMENT_NOT_FOUND', `No deployment ${deploymentId}`, 'deploymentId');
  return state;
};

const decide = (command: DeploymentCommand, state: DeploymentState): DeploymentEvent[] => {
  const { deploymentId } = command.data;
  switch (command.type) {
    case 'RequestDeployment':
      if (state.status !== 'none') throw new DomainError('DEPLOYMENT_EXISTS', `Deployment ${deploymentId} already exists`, 'deploymentId');
      return [{ type: 'DeploymentRequested', data: { waitsFor: [], dependents: [], ...command.data, requestedAt: command.now } }];
    case 'SettleDependencies':
      return mustExist(state, deploymentId).status === 'waiting' ? settle(deploymentId, command.data.dependencies, command.now) : [];
    case 'StartRollout':
      // A late build of a cancelled deployment, or a redelivery: nothing to start.
      return mustExist(state, deploymentId).status === 'queued'
        ? [{ type: 'DeploymentStarted', data: { deploymentId, imageRef: command.data.imageRef, startedAt: command.now } }]
        : [];
    case 'MarkRolledOut':
      return mustExist(state, deploymentId).status === 'rolling-out'
        ? [{ type: 'DeploymentRolledOut', data: { ...command.data, rolledOutAt: command.now } }]
        : [];
    case 'MarkSucceeded':
      return mustExist(state, deploymentId).status === 'rolled-out'
        ? [{ type: 'DeploymentSucceeded', data: { deploymentId, url: command.data.url, finishedAt: command.now } }]
        : [];
    case 'MarkRolledBack':
      return finished(mustExist(state, deploymentId)) ? [] : [{ type: 'DeploymentRolledBack', data: command.data }];
    case 'MarkFailed':
      return finished(mustExist(state, deploymentId))
        ? []
        : [{ type: 'DeploymentFailed', data: { deploymentId, reason: command.data.reason, finishedAt: command.now } }];
    case 'CancelDeployment': {
      const current = mustExist(state, deploymentId);
      if (current.status === 'cancelled') return [];
      if (finished(current)) throw new DomainError('DEPLOYMENT_FINISHED', `Deployment ${deploymentId} already ${current.status}; nothing to cancel`, 'deploymentId');
      // Swarm is already changing the service: stopping half-way would leave neither version. It ends by itself, succeeded or rolled back.
      if (current.status !== 'queued' && current.status !== 'waiting') {
        throw new DomainError(
          'DEPLOYMENT_ROLLING_OUT',
          `Deployment ${deploymentId} is already rolling out and can no longer be cancelled; it ends within minutes (live, or rolled back to the previous version), and you can roll back afterwards`,
          'deploymentId',
        );
      }
      return [{ type: 'DeploymentCancelled', data: { deploymentId, finishedAt: command.now } }];
    }
    default:
      return assertNever(command);
  }
};

const evolve = (state: DeploymentState, event: DeploymentEvent): DeploymentState => {
  if (event.type === 'DeploymentRequested') {
    return { status: event.data.waitsFor.length ? 'waiting' : 'queued', request: event.data, since: event.data.requestedAt };
  }
  if (state.status === 'none') return state;
  switch (event.type) {
    case 'DeploymentReleased':
      return { ...state, status: 'queued', since: event.data.releasedAt };
    case 'DeploymentBlocked':
      return { ...state, status: 'blocked', since: event.data.finishedAt ?? state.since, reason: event.data.reason };
    case 'DeploymentStarted':
      return { ...state, status: 'rolling-out', since: event.data.startedAt, imageRef: event.data.imageRef };
    case 'DeploymentRolledOut':
      return { ...state, status: 'rolled-out', since: event.data.rolledOutAt ?? state.since };
    case 'DeploymentSucceeded':
      return { ...state, status: 'succeeded', since: event.data.finishedAt };
    case 'DeploymentRolledBack':
      return state;
    case 'DeploymentFailed':
      return { ...state, status: 'failed', since: event.data.finishedAt, reason: event.data.reason };
    case 'DeploymentCancelled':
      return { ...state, status: 'cancelled', since: event.data.finishedAt };
    default:
      return assertNever(event);
  }
};

export const deploymentDecider: Decider<DeploymentCommand, DeploymentEvent, DeploymentState> = {
  decide,
  evolve,
  initialState: { status: 'none' },
};
