import { finished, type DeploymentState } from './deployment.decider';

/** The phases a deployment passes through, each with a deadline of its own. */
export type Phase = 'dependencies' | 'queue' | 'build' | 'roll-out' | 'route';
export type PhaseDeadlines = Record<Phase, number>;

/**
 * Defaults, in ms. Each is well past what the step itself allows (a build stops itself at
 * SLIPWAY_BUILD_TIMEOUT_S, 600 s; a roll-out at 120 s and rolls back), so a deadline only ends
 * a deployment whose worker is gone or stuck. Builds run one at a time per build service, hence
 * the long queue. A deployment that waits for its dependencies (deployProject) is released or
 * blocked as soon as they end, each within its own deadlines: its 3 hours only end a wait whose
 * news was lost.
 */
const defaults: PhaseDeadlines = { dependencies: 3 * 60 * 60_000, queue: 30 * 60_000, build: 15 * 60_000, 'roll-out': 10 * 60_000, route: 5 * 60_000 };

/** SLIPWAY_DEADLINE_{DEPENDENCIES,QUEUE,BUILD,ROLLOUT,ROUTE}_S override the defaults. */
export const deadlinesFromEnv = (env: NodeJS.ProcessEnv = process.env): PhaseDeadlines => {
  const seconds = (name: string, fallback: number) => {
    const value = Number(env[name]);
    return Number.isFinite(value) && value > 0 ? value * 1000 : fallback;
  };
  return {
    dependencies: seconds('SLIPWAY_DEADLINE_DEPENDENCIES_S', defaults.dependencies),
    queue: seconds('SLIPWAY_DEADLINE_QUEUE_S', defaults.queue),
    build: seconds('SLIPWAY_DEADLINE_BUILD_S', defaults.build),
    'roll-out': seconds('SLIPWAY_DEADLINE_ROLLOUT_S', defaults['roll-out']),
    route: seconds('SLIPWAY_DEADLINE_ROUTE_S', defaults.route),
  };
};

/**
 * Where an unfinished deployment is, and since when. The build's start comes from the build
 * stream (the build service owns it); a rollback has no build and goes from queued to roll-out.
 */
export const currentPhase = (state: DeploymentState, buildStartedAt?: string): { phase: Phase; since: string } | undefined => {
  if (state.status === 'none' || finished(state)) return undefined;
  switch (state.status) {
    case 'waiting':
      return { phase: 'dependencies', since: state.since };
    case 'queued':
      return buildStartedAt ? { phase: 'build', since: buildStartedAt } : { phase: 'queue', since: state.since };
    case 'rolling-out':
      return { phase: 'roll-out', since: state.since };
    case 'rolled-out':
      return { phase: 'route', since: state.since };
  }
};

const waitingFor: Record<Phase, string> = {
  dependencies: 'the deployments of the services it depends on to end',
  queue: 'its resources to be reserved and a build to start: are the quota and build services running? (see /status)',
  build: 'the build to finish',
  'roll-out': 'the new version to run and pass its health check',
  route: 'its domains to point at the new version',
};

const whatNext: Record<Phase, string> = {
  dependencies: 'Look at its dependencies\u2019 deployments, then deploy the project again.',
  queue: 'Deploy again once the build service is up.',
  build: 'Deploy again; if the build is slow, raise SLIPWAY_BUILD_TIMEOUT_S.',
  'roll-out': 'Check the app\u2019s runtime log and health check, then deploy again.',
  route: 'Check the routing service in /status, then deploy again.',
};

const minutes = (ms: number) => (ms % 60_000 === 0 ? `${ms / 60_000} min` : `${Math.round(ms / 1000)} s`);

export type DeadlineVerdict =
  | { kind: 'finished' }
  | { kind: 'wait'; phase: Phase; recheckInMs: number }
  | { kind: 'overdue'; phase: Phase; since: string };

/** Longest wait between two looks: a phase that changes meanwhile restarts its own clock. */
const MAX_RECHECK_MS = 10_000;

/** Is the deployment past its phase's deadline, and if not, when to look again? */
export const judgeDeadline = (state: DeploymentState, buildStartedAt: string | undefined, deadlines: PhaseDeadlines, now: Date): DeadlineVerdict => {
  const current = currentPhase(state, buildStartedAt);
  if (!current) return { kind: 'finished' };
  const { phase, since } = current;
  const left = Date.parse(since) + deadlines[phase] - now.getTime();
  if (left > 0) return { kind: 'wait', phase, recheckInMs: Math.max(100, Math.min(left + 50, MAX_RECHECK_MS)) };
  return { kind: 'overdue', phase, since };
};

/** Why an overdue deployment failed: the phase, what it waited for, since when, the last thing it said, and what to do next. */
export const deadlineReason = (overdue: { phase: Phase; since: string }, deadlines: PhaseDeadlines, lastSaid?: string): string => {
  const { phase, since } = overdue;
  const last = lastSaid ? ` Last seen: \u201c${lastSaid}\u201d.` : '';
  return `Timed out in the ${phase} phase: waited ${minutes(deadlines[phase])} (since ${since}) for ${waitingFor[phase]}.${last} ${whatNext[phase]}`;
};
