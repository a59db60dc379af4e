/**
 * Pure reading of what Swarm reports during a rollout: is it done, still going, or failed (and why)?
 * The adapter polls the service and its tasks and feeds them here, so every verdict is unit-tested.
 */

/** A Swarm task, reduced to what a verdict needs. */
export interface ObservedTask {
  id: string;
  slot?: number;
  /** The spec hash label of the task's container spec (which version it runs). */
  specHash?: string;
  desiredState: string;
  state: string;
  message?: string;
  err?: string;
  exitCode?: number;
  containerId?: string;
  /** When the task last changed state (ISO), to find the latest failure. */
  timestamp?: string;
}

/** What the failed task's container said, read from Docker when there is one. */
export interface FailureDetails {
  healthFailingStreak?: number;
  lastHealthOutput?: string;
  lastHealthExitCode?: number;
  logTail?: string;
}

export type UpdateState = 'updating' | 'paused' | 'completed' | 'rollback_started' | 'rollback_paused' | 'rollback_completed';

export interface ObservedService {
  updateState?: UpdateState;
  updateMessage?: string;
  /** Desired replicas of the service's current spec. */
  replicas: number;
  /** Spec hash of the service's current spec (after a rollback: the previous one). */
  specHash?: string;
}

export type Verdict =
  | { status: 'in-progress'; summary: string }
  | { status: 'succeeded' }
  | { status: 'failed'; reason: string; failedTask?: ObservedTask; /** an update paused by a failure: a rollback can still be asked for */ paused?: boolean }
  | { status: 'rolling-back'; reason: string; failedTask?: ObservedTask }
  | { status: 'rolled-back'; reason: string; serving: boolean; failedTask?: ObservedTask };

const TERMINAL_FAILURES = new Set(['failed', 'rejected', 'complete', 'orphaned']);

const isLive = (t: ObservedTask) => t.desiredState === 'running';
const isRunning = (t: ObservedTask) => isLive(t) && t.state === 'running';
const hasFailed = (t: ObservedTask) => TERMINAL_FAILURES.has(t.state);
const latest = (tasks: ObservedTask[]) =>
  [...tasks].sort((a, b) => (b.timestamp ?? '').localeCompare(a.timestamp ?? ''))[0] as ObservedTask | undefined;

const clip = (text: string, max = 300) => {
  const oneLine = text.replace(/\s+/g, ' ').trim();
  return oneLine.length > max ? `${oneLine.slice(0, max - 1)}…` : oneLine;
};

/** One sentence a person can act on, from the task's status and, when known, its container. */
export const describeTaskFailure = (task: ObservedTask, details: FailureDetails = {}): string => {
  const err = task.err ?? '';
  const logs = details.logTail ? ` (last output: ${clip(details.logTail)})` : '';
  if (/unhealthy/i.test(err) || details.healthFailingStreak) {
    const times = details.healthFailingStreak ?? 0;
    const last = details.lastHealthOutput?.trim()
      ? `; last check: ${clip(details.lastHealthOutput)}`
      : details.lastHealthExitCode !== undefined
        ? `; last check exited with ${details.lastHealthExitCode}`
        : '';
    return `new tasks never became healthy: health check failed${times ? ` ${times} times` : ''}${last}`;
  }
  if (task.state === 'rejected') return `the task was rejected: ${clip(err || task.message || 'no reason given')}`;
  const exit = /non-zero exit \((\d+)\)/.exec(err)?.[1] ?? (task.exitCode ? String(task.exitCode) : undefined);
  if (exit) return `the app exited with code ${exit}${logs}`;
  if (task.state === 'complete') return `the app exited (code 0) instead of serving${logs}`;
  return `the task ${task.state}: ${clip(err || task.message || 'no reason given')}${logs}`;
};

const progressOf = (tasks: ObservedTask[], hash: string | undefined, replicas: number): string => {
  const fresh = tasks.filter((t) => t.specHash === hash && isLive(t));
  const running = fresh.filter((t) => t.state === 'running').length;
  const states = fresh
    .filter((t) => t.state !== 'running')
    .map((t) => `${t.state}${t.err ? ` (${clip(t.err, 120)})` : t.message && t.message !== t.state ? ` (${clip(t.message, 120)})` : ''}`);
  return `${running}/${replicas} new task(s) running and healthy${states.length ? `; others: ${states.join(', ')}` : ''}`;
};

/**
 * First deployment: done when `replicas` tasks of the new spec run (running means healthy when the
 * spec has a health check: Swarm holds a task in `starting` until its first good check); failed
 * once `maxFailedTasks` tasks of it have failed (Swarm would restart them forever).
 */
export const assessCreate = (tasks: ObservedTask[], expected: { specHash: string; replicas: number; maxFailedTasks: number }): Verdict => {
  const fresh = tasks.filter((t) => t.specHash === expected.specHash);
  if (fresh.filter(isRunning).length >= expected.replicas) return { status: 'succeeded' };
  const failed = fresh.filter(hasFailed);
  if (failed.length >= expected.maxFailedTasks) {
    const failedTask = latest(failed)!;
    return { status: 'failed', reason: describeTaskFailure(failedTask), failedTask };
  }
  return { status: 'in-progress', summary: progressOf(tasks, expected.specHash, expected.replicas) };
};

/** The task Swarm named in "update rolled back due to failure or early termination of task <id>". */
const taskNamedIn = (message: string | undefined, tasks: ObservedTask[]) => {
  const id = /task ([a-z0-9]+)/i.exec(message ?? '')?.[1];
  return id ? tasks.find((t) => t.id === id || t.id.startsWith(id)) : undefined;
};

/**
 * Update: done when Swarm says the update completed and every live task runs the new spec;
 * after a failure Swarm rolls back by itself (FailureAction rollback), and the verdict follows it
 * until the previous version is back.
 */
export const assessUpdate = (service: ObservedService, tasks: ObservedTask[], expected: { specHash: string; replicas: number }): Verdict => {
  const failedTask = (): ObservedTask | undefined =>
    taskNamedIn(service.updateMessage, tasks) ?? latest(tasks.filter((t) => t.specHash === expected.specHash && hasFailed(t)));
  const reasonFor = (task: ObservedTask | undefined) => (task ? describeTaskFailure(task) : service.updateMessage ?? 'the update failed');

  switch (service.updateState) {
    case 'rollback_started': {
      const task = failedTask();
      return { status: 'rolling-back', reason: reasonFor(task), failedTask: task };
    }
    case 'rollback_completed': {
      const task = failedTask();
      const serving = tasks.filter((t) => isRunning(t) && t.specHash === service.specHash).length >= service.replicas;
      return { status: 'rolled-back', reason: reasonFor(task), serving, failedTask: task };
    }
    case 'rollback_paused': {
      const task = failedTask();
      const cause = task ? describeTaskFailure(task) : 'the update failed';
      return { status: 'failed', reason: `${cause}; the rollback itself failed: ${service.updateMessage ?? 'no reason given'}`, failedTask: task };
    }
    case 'paused': {
      const task = failedTask();
      return { status: 'failed', reason: reasonFor(task), failedTask: task, paused: true };
    }
    case 'completed':
    case undefined: {
      const live = tasks.filter(isLive);
      const allNew = live.every((t) => t.specHash === expected.specHash);
      const running = live.filter((t) => t.state === 'running' && t.specHash === expected.specHash).length;
      // No update status at all: the spec did not change anything Swarm tracks (a no-op update),
      // or the orchestrator has not picked the update up yet (then the old tasks are still live).
      if (allNew && running >= expected.replicas) return { status: 'succeeded' };
      return { status: 'in-progress', summary: progressOf(tasks, expected.specHash, expected.replicas) };
    }
    case 'updating':
      return { status: 'in-progress', summary: progressOf(tasks, expected.specHash, expected.replicas) };
    default:
      return { status: 'in-progress', summary: `update state ${String(service.updateState)}` };
  }
};
