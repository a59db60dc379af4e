import { aggregate } from '@slipway/event-store';
import { deploymentDecider } from './deployment.decider';

/** The deployment decider bound to its stream: platform.deploy.events.deployment.<id>. */
export const deployments = aggregate({
  decider: deploymentDecider,
  stream: (deploymentId) => ({ context: 'deploy', aggregate: 'deployment', id: deploymentId }),
});
