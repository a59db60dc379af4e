import type { EventStore } from '@slipway/event-store';
import { cleanupRunDecider, type CleanupRunEvent, type CleanupRunState } from './cleanup-run.decider';

const HOUR = 3_600_000;
const number = (name: string, fallback: number) => {
  const value = Number(process.env[name] ?? fallback);
  return Number.isFinite(value) && value >= 0 ? value : fallback;
};

export interface CleanupSettings {
  /** 0: no scheduled runs (people can still run one). */
  everyHours: number;
  keepDeployments: number;
  minAgeMs: number;
  /** How long a run may take before it fails naming the part that did not report. */
  deadlineMs: number;
  /** How often the schedule is looked at. */
  checkMs: number;
}

export const cleanupSettingsFromEnv = (): CleanupSettings => ({
  everyHours: number('SLIPWAY_CLEANUP_EVERY_H', 24),
  keepDeployments: Math.max(2, Math.floor(number('SLIPWAY_CLEANUP_KEEP_DEPLOYMENTS', 10))),
  minAgeMs: number('SLIPWAY_CLEANUP_MIN_AGE_S', 600) * 1000,
  deadlineMs: number('SLIPWAY_CLEANUP_DEADLINE_S', 900) * 1000,
  checkMs: Math.max(1, number('SLIPWAY_CLEANUP_CHECK_S', 300)) * 1000,
});

/**
 * The scheduled run of the period `now` falls in: one id per period, so two deploy processes (or
 * one restarted) that both find it due append to the same new stream, and only the first one can.
 */
export const scheduledRunId = (now: Date, everyHours: number) => `sched-${Math.floor(now.getTime() / (everyHours * HOUR))}`;

/** Every run so far, by id, folded by the run's decider. */
export const loadRuns = async (store: EventStore): Promise<Map<string, CleanupRunState>> => {
  const runs = new Map<string, CleanupRunState>();
  for (const e of await store.readAll({ context: 'deploy', aggregate: 'cleanup' })) {
    runs.set(e.aggregateId, cleanupRunDecider.evolve(runs.get(e.aggregateId) ?? cleanupRunDecider.initialState, e as unknown as CleanupRunEvent));
  }
  return runs;
};

/** A real run still under way (before its deadline): another one would remove the same things at the same time. A dry run removes nothing and blocks nothing. */
export const runUnderWay = (runs: ReadonlyMap<string, CleanupRunState>, now: Date) =>
  [...runs.entries()].find(([, s]) => s.status === 'running' && !s.started.dryRun && Date.parse(s.started.deadline) > now.getTime());
