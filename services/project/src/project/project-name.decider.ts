import { aggregate, assertNever, type Decider } from '@slipway/event-store';
import { DomainError } from '@slipway/messaging';

type NameData = { name: string; projectId: string };
export type ProjectNameCommand = { type: 'ClaimProjectName'; data: NameData } | { type: 'ReleaseProjectName'; data: NameData };
export type ProjectNameEvent = { type: 'ProjectNameClaimed'; data: NameData } | { type: 'ProjectNameReleased'; data: NameData };
export type ProjectNameState = { claimedBy?: string };

/** Project names are global (they are part of hostnames): first claim wins, until its project is deleted. */
export const projectNameDecider: Decider<ProjectNameCommand, ProjectNameEvent, ProjectNameState> = {
  initialState: {},
  evolve: (_state, event) => (event.type === 'ProjectNameClaimed' ? { claimedBy: event.data.projectId } : {}),
  decide: (command, state) => {
    switch (command.type) {
      case 'ClaimProjectName':
        if (state.claimedBy === command.data.projectId) return [];
        if (state.claimedBy) {
          throw new DomainError('PROJECT_NAME_TAKEN', `A project named "${command.data.name}" already exists; choose another name`, 'name');
        }
        return [{ type: 'ProjectNameClaimed', data: command.data }];
      case 'ReleaseProjectName':
        // Only its own project gives a name back; a retried release finds it free already.
        return state.claimedBy === command.data.projectId ? [{ type: 'ProjectNameReleased', data: command.data }] : [];
      default:
        return assertNever(command);
    }
  },
};

/** Bound to its stream: platform.project.events.project-name.<name>. */
export const projectNames = aggregate({
  decider: projectNameDecider,
  stream: (name: string) => ({ context: 'project', aggregate: 'project-name', id: name }),
});
