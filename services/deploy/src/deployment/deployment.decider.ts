import { assertNever, type Decider } from '@slipway/event-store';
import { DomainError } from '@slipway/messaging';
import type { deploymentTrigger, EventData, DeploymentCancelled, DeploymentFailed, DeploymentRequested, DeploymentStarted, DeploymentSucceeded } from '@slipway/proto';
import type { z } from 'zod';

export type DeploymentCommand =
  | {
      type: 'RequestDeployment';
      data: { deploymentId: string; serviceId: string; projectId: string; trigger?: z.infer<typeof deploymentTrigger> };
      now: string;
    }
  | { type: 'CancelDeployment'; data: { deploymentId: string }; now: string };

export type DeploymentEvent =
  | { type: 'DeploymentRequested'; data: EventData<typeof DeploymentRequested> }
  | { type: 'DeploymentStarted'; data: EventData<typeof DeploymentStarted> }
  | { type: 'DeploymentSucceeded'; data: EventData<typeof DeploymentSucceeded> }
  | { type: 'DeploymentFailed'; data: EventData<typeof DeploymentFailed> }
  | { type: 'DeploymentCancelled'; data: EventData<typeof DeploymentCancelled> };

export type DeploymentState =
  | { status: 'none' }
  | { status: 'queued' | 'rolling-out'; serviceId: string }
  | { status: 'succeeded' | 'failed' | 'cancelled'; serviceId: string };

const decide = (command: DeploymentCommand, state: DeploymentState): DeploymentEvent[] => {
  switch (command.type) {
    case 'RequestDeployment':
      if (state.status !== 'none') {
        throw new DomainError('DEPLOYMENT_EXISTS', `Deployment ${command.data.deploymentId} already exists`, 'deploymentId');
      }
      return [
        {
          type: 'DeploymentRequested',
          data: {
            deploymentId: command.data.deploymentId,
            serviceId: command.data.serviceId,
            projectId: command.data.projectId,
            requestedAt: command.now,
            trigger: command.data.trigger ?? { kind: 'manual' },
          },
        },
      ];
    case 'CancelDeployment':
      if (state.status === 'none') {
        throw new DomainError('DEPLOYMENT_NOT_FOUND', `No deployment ${command.data.deploymentId}`, 'deploymentId');
      }
      if (state.status === 'cancelled') return [];
      if (state.status === 'succeeded' || state.status === 'failed') {
        throw new DomainError('DEPLOYMENT_FINISHED', `Deployment ${command.data.deploymentId} already ${state.status}; nothing to cancel`);
      }
      return [{ type: 'DeploymentCancelled', data: { deploymentId: command.data.deploymentId, finishedAt: command.now } }];
    default:
      return assertNever(command);
  }
};

const evolve = (state: DeploymentState, event: DeploymentEvent): DeploymentState => {
  switch (event.type) {
    case 'DeploymentRequested':
      return { status: 'queued', serviceId: event.data.serviceId };
    case 'DeploymentStarted':
      return state.status === 'none' ? state : { ...state, status: 'rolling-out' };
    case 'DeploymentSucceeded':
      return state.status === 'none' ? state : { ...state, status: 'succeeded' };
    case 'DeploymentFailed':
      return state.status === 'none' ? state : { ...state, status: 'failed' };
    case 'DeploymentCancelled':
      return state.status === 'none' ? state : { ...state, status: 'cancelled' };
    default:
      return state;
  }
};

export const deploymentDecider: Decider<DeploymentCommand, DeploymentEvent, DeploymentState> = {
  decide,
  evolve,
  initialState: { status: 'none' },
};
