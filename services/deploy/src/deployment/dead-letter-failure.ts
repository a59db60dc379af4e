import { parseEventSubject } from '@slipway/proto';

/** The pipeline's steps, by consumer: a dead letter of any other consumer (a read model) ends no deployment. */
const steps: Record<string, string> = {
  'quota-on-deployment-requested': 'Reserving its resources',
  'build-on-resources-reserved': 'Requesting the build',
  /** Retired consumers (issue 13): their letters may still be replayed. */
  'build-on-deployment-requested': 'Requesting the build',
  'build-runner': 'The build',
  'deploy-on-build-succeeded': 'Starting the roll-out',
  'deploy-on-build-failed': 'Recording the failed build',
  'deploy-on-rollback-requested': 'Starting the rollback',
  'deploy-on-reservation-rejected': 'Recording the rejected reservation',
  'deploy-rollout-runner': 'The roll-out',
  'routing-on-deployment-rolled-out': 'Routing',
  'deploy-on-route-activated': 'Recording the live route',
};

/**
 * The deployment a dead letter ends, and why: a step of the pipeline gave up on one of its events
 * (one build per deployment, so a build's id is its deployment's).
 */
export const deploymentFailedByDeadLetter = (letter: {
  consumer: string;
  subject: string;
  attempts: number;
  error: string;
}): { deploymentId: string; reason: string } | undefined => {
  const step = steps[letter.consumer];
  const stream = parseEventSubject(letter.subject);
  if (!step || !stream) return undefined;
  const ours = (stream.context === 'deploy' && stream.aggregate === 'deployment') || (stream.context === 'build' && stream.aggregate === 'build');
  if (!ours) return undefined;
  const error = letter.error.trim() || 'no error message';
  return {
    deploymentId: stream.id,
    reason: `${step} gave up after ${letter.attempts} attempt(s): ${error}. Fix the cause, then deploy again.`,
  };
};
