import { aggregate, type Decider } from '@slipway/event-store';
import { DomainError } from '@slipway/messaging';

export type ClaimProjectName = { type: 'ClaimProjectName'; data: { name: string; projectId: string } };
export type ProjectNameEvent = { type: 'ProjectNameClaimed'; data: { name: string; projectId: string } };
export type ProjectNameState = { claimedBy?: string };

/** Project names are global (they are part of hostnames): first claim wins, forever. */
export const projectNameDecider: Decider<ClaimProjectName, ProjectNameEvent, ProjectNameState> = {
  initialState: {},
  evolve: (_state, event) => ({ claimedBy: event.data.projectId }),
  decide: (command, state) => {
    if (state.claimedBy === command.data.projectId) return [];
    if (state.claimedBy) {
      throw new DomainError('PROJECT_NAME_TAKEN', `A project named "${command.data.name}" already exists; choose another name`, 'name');
    }
    return [{ type: 'ProjectNameClaimed', data: command.data }];
  },
};

/** Bound to its stream: platform.project.events.project-name.<name>. */
export const projectNames = aggregate({
  decider: projectNameDecider,
  stream: (name: string) => ({ context: 'project', aggregate: 'project-name', id: name }),
});
