import { aggregate } from '@slipway/event-store';
import { serviceLifecycleDecider } from './service-lifecycle.decider';

/** The lifecycle decider bound to the project's stream: platform.project.events.project.<projectId>. */
export const serviceLifecycles = aggregate({
  decider: serviceLifecycleDecider,
  stream: (projectId) => ({ context: 'project', aggregate: 'project', id: projectId }),
});
