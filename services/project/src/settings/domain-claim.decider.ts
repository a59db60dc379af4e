import { assertNever, type Decider } from '@slipway/event-store';
import { DomainError } from '@slipway/messaging';
import type { DomainClaimed, DomainReleased, EventData } from '@slipway/proto';

export type DomainClaimCommand =
  | { type: 'ClaimDomain'; data: EventData<typeof DomainClaimed> }
  | { type: 'ReleaseDomain'; data: EventData<typeof DomainReleased> };

export type DomainClaimEvent =
  | { type: 'DomainClaimed'; data: EventData<typeof DomainClaimed> }
  | { type: 'DomainReleased'; data: EventData<typeof DomainReleased> };

export type DomainClaimState = { holder?: { projectId: string; serviceId: string } };

/**
 * A hostname serves one service of the whole instance: the first claim wins until its service
 * releases it. The holder is not named in the refusal: it may be another team's project.
 */
export const domainClaimDecider: Decider<DomainClaimCommand, DomainClaimEvent, DomainClaimState> = {
  initialState: {},
  decide: (command, state) => {
    switch (command.type) {
      case 'ClaimDomain':
        if (state.holder?.serviceId === command.data.serviceId) return [];
        if (state.holder) {
          throw new DomainError('DOMAIN_TAKEN', `${command.data.hostname} is already a domain of another service; remove it there first`, 'hostname');
        }
        return [{ type: 'DomainClaimed', data: command.data }];
      case 'ReleaseDomain':
        return state.holder?.serviceId === command.data.serviceId ? [{ type: 'DomainReleased', data: command.data }] : [];
      default:
        return assertNever(command);
    }
  },
  evolve: (state, event) => {
    switch (event.type) {
      case 'DomainClaimed':
        return { holder: { projectId: event.data.projectId, serviceId: event.data.serviceId } };
      case 'DomainReleased':
        return {};
      default:
        return assertNever(event);
    }
  },
};
