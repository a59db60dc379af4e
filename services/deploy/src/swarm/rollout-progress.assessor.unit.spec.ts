import { assessCreate, assessUpdate, describeTaskFailure, type ObservedTask } from './rollout-progress.assessor';

const task = (over: Partial<ObservedTask>): ObservedTask => ({
  id: 'task1',
  specHash: 'new',
  desiredState: 'running',
  state: 'running',
  timestamp: '2026-11-28T10:00:00Z',
  ...over,
});
const unhealthy = (id: string, at: string): ObservedTask =>
  task({ id, state: 'failed', desiredState: 'shutdown', err: 'task: non-zero exit (137): dockerexec: unhealthy container', timestamp: at, containerId: `c-${id}` });

describe('first deployment verdict', () => {
  const expected = { specHash: 'new', replicas: 2, maxFailedTasks: 2 };

  it('succeeds when every replica of the new spec is running (= healthy)', () => {
    expect(assessCreate([task({ id: 'a' }), task({ id: 'b' })], expected)).toEqual({ status: 'succeeded' });
  });

  it('is in progress while a task is still starting, and says so', () => {
    const verdict = assessCreate([task({ id: 'a' }), task({ id: 'b', state: 'starting' })], expected);
    expect(verdict).toEqual({ status: 'in-progress', summary: '1/2 new task(s) running and healthy; others: starting' });
  });

  it('fails after the allowed number of failed tasks, naming the latest failure', () => {
    const tasks = [unhealthy('a', '2026-11-28T10:00:10Z'), unhealthy('b', '2026-11-28T10:00:20Z'), task({ id: 'c', state: 'starting' })];
    const verdict = assessCreate(tasks, expected);
    expect(verdict).toMatchObject({ status: 'failed', reason: 'new tasks never became healthy: health check failed', failedTask: { id: 'b' } });
    expect(assessCreate(tasks.slice(1), expected).status).toBe('in-progress');
  });

  it('ignores tasks of another spec', () => {
    expect(assessCreate([task({ id: 'a', specHash: 'old' }), task({ id: 'b', specHash: 'old' })], expected).status).toBe('in-progress');
  });
});

describe('update verdict', () => {
  const expected = { specHash: 'new', replicas: 1 };
  const oldRunning = task({ id: 'old1', specHash: 'old' });

  it('is in progress right after the update, while the old task still serves', () => {
    expect(assessUpdate({ replicas: 1 }, [oldRunning], expected).status).toBe('in-progress');
    expect(assessUpdate({ replicas: 1, updateState: 'updating' }, [oldRunning, task({ id: 'n', state: 'starting' })], expected).status).toBe(
      'in-progress',
    );
  });

  it('waits for Swarm to complete the update (monitor period) even when the new task runs', () => {
    const tasks = [task({ id: 'old1', specHash: 'old', desiredState: 'shutdown', state: 'shutdown' }), task({ id: 'n' })];
    expect(assessUpdate({ replicas: 1, updateState: 'updating' }, tasks, expected).status).toBe('in-progress');
    expect(assessUpdate({ replicas: 1, updateState: 'completed' }, tasks, expected)).toEqual({ status: 'succeeded' });
  });

  it('succeeds at once on a no-op update (nothing for Swarm to replace)', () => {
    expect(assessUpdate({ replicas: 1 }, [task({ id: 'n' })], expected)).toEqual({ status: 'succeeded' });
  });

  it('follows the automatic rollback and names the task that failed', () => {
    const failed = unhealthy('n1', '2026-11-28T10:00:20Z');
    const message = 'update rolled back due to failure or early termination of task n1';
    expect(assessUpdate({ replicas: 1, updateState: 'rollback_started', updateMessage: message }, [oldRunning, failed], expected)).toMatchObject({
      status: 'rolling-back',
      failedTask: { id: 'n1' },
    });
    expect(
      assessUpdate({ replicas: 1, specHash: 'old', updateState: 'rollback_completed', updateMessage: message }, [oldRunning, failed], expected),
    ).toEqual({ status: 'rolled-back', serving: true, reason: 'new tasks never became healthy: health check failed', failedTask: failed });
  });

  it('reports a rollback that left nothing running as not serving', () => {
    const verdict = assessUpdate({ replicas: 1, specHash: 'old', updateState: 'rollback_completed' }, [task({ id: 'o', specHash: 'old', state: 'starting' })], expected);
    expect(verdict).toMatchObject({ status: 'rolled-back', serving: false });
  });

  it('fails on a paused update (a rollback can still be asked for) and on a paused rollback', () => {
    expect(assessUpdate({ replicas: 1, updateState: 'paused', updateMessage: 'update paused' }, [oldRunning], expected)).toMatchObject({
      status: 'failed',
      paused: true,
    });
    expect(assessUpdate({ replicas: 1, updateState: 'rollback_paused', updateMessage: 'rollback paused' }, [oldRunning], expected)).toMatchObject({
      status: 'failed',
      reason: 'the update failed; the rollback itself failed: rollback paused',
    });
  });
});

describe('failure reasons', () => {
  it('explains an unhealthy task with the health log', () => {
    const reason = describeTaskFailure(unhealthy('a', ''), { healthFailingStreak: 3, lastHealthOutput: 'wget: server returned error: HTTP/1.1 500\n' });
    expect(reason).toBe('new tasks never became healthy: health check failed 3 times; last check: wget: server returned error: HTTP/1.1 500');
  });

  it('explains a crash with its exit code and last output', () => {
    const crashed = task({ state: 'failed', err: 'task: non-zero exit (1)' });
    expect(describeTaskFailure(crashed, { logTail: "Error: Cannot find module '/app/server.js'" })).toBe(
      "the app exited with code 1 (last output: Error: Cannot find module '/app/server.js')",
    );
  });

  it('explains a rejected task (e.g. missing image)', () => {
    const rejected = task({ state: 'rejected', err: 'No such image: 127.0.0.1:5000/x:1' });
    expect(describeTaskFailure(rejected)).toBe('the task was rejected: No such image: 127.0.0.1:5000/x:1');
  });
});
