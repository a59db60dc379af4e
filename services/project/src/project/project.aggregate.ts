import { aggregate } from '@slipway/event-store';
import { projectDecider } from './project.decider';

/** The project decider bound to its stream: platform.project.events.project.<projectId>. */
export const projects = aggregate({
  decider: projectDecider,
  stream: (projectId) => ({ context: 'project', aggregate: 'project', id: projectId }),
});
