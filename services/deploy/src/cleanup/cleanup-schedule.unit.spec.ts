import type { CleanupRunState } from './cleanup-run.decider';
import { runUnderWay, scheduledRunId } from './cleanup-schedule';

const started = (dryRun: boolean, deadline: string, status: 'running' | 'finished' = 'running'): CleanupRunState => ({
  status,
  started: { runId: 'x', dryRun, trigger: 'manual', keepDeployments: 10, startedAt: '2026-11-30T03:00:00.000Z', deadline },
  parts: {},
});

describe('clean-up schedule', () => {
  it('names one run per period, whoever asks and however often', () => {
    expect(scheduledRunId(new Date('2026-11-30T00:00:01Z'), 24)).toBe(scheduledRunId(new Date('2026-11-30T23:59:59Z'), 24));
    expect(scheduledRunId(new Date('2026-11-30T23:59:59Z'), 24)).not.toBe(scheduledRunId(new Date('2026-12-01T00:00:01Z'), 24));
    expect(scheduledRunId(new Date('2026-11-30T05:59:59Z'), 6)).not.toBe(scheduledRunId(new Date('2026-11-30T06:00:00Z'), 6));
  });

  it('lets a real run wait for another real one before its deadline, never for a dry run or one past its deadline', () => {
    const now = new Date('2026-11-30T03:05:00.000Z');
    expect(runUnderWay(new Map([['a', started(false, '2026-11-30T03:15:00.000Z')]]), now)?.[0]).toBe('a');
    expect(runUnderWay(new Map([['a', started(true, '2026-11-30T03:15:00.000Z')]]), now)).toBeUndefined();
    expect(runUnderWay(new Map([['a', started(false, '2026-11-30T03:04:00.000Z')]]), now)).toBeUndefined();
    expect(runUnderWay(new Map([['a', started(false, '2026-11-30T03:15:00.000Z', 'finished')]]), now)).toBeUndefined();
  });
});
