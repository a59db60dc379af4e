import { exampleServiceSpec } from '@slipway/testing';
import { deadlineReason, deadlinesFromEnv, judgeDeadline, type PhaseDeadlines } from './deployment-deadlines';
import { deploymentDecider, type DeploymentEvent } from './deployment.decider';
import { deploymentFailedByDeadLetter } from './dead-letter-failure';

const at = (minute: number) => new Date(Date.UTC(2026, 10, 29, 10, minute)).toISOString();
const d = { deploymentId: 'd_1' };
const requested: DeploymentEvent = {
  type: 'DeploymentRequested',
  data: { ...d, serviceId: 's_1', projectId: 'p_1', projectName: 'shop', serviceName: 'web', trigger: { kind: 'manual' }, spec: exampleServiceSpec(), waitsFor: [], dependents: [], requestedAt: at(0) },
};
const started: DeploymentEvent = { type: 'DeploymentStarted', data: { ...d, imageRef: 'reg/shop-web:abc', startedAt: at(20) } };
const rolledOut: DeploymentEvent = { type: 'DeploymentRolledOut', data: { ...d, swarmService: 'shop-web', network: 'slipway-shop', rolledOutAt: at(25) } };
const succeeded: DeploymentEvent = { type: 'DeploymentSucceeded', data: { ...d, url: 'https://web-shop.localhost', finishedAt: at(26) } };
const state = (...events: DeploymentEvent[]) => events.reduce(deploymentDecider.evolve, deploymentDecider.initialState);
const deadlines: PhaseDeadlines = { dependencies: 60 * 60_000, queue: 10 * 60_000, build: 15 * 60_000, 'roll-out': 4 * 60_000, route: 3 * 60_000 };
const now = (minute: number) => new Date(at(minute));

describe('deployment deadlines', () => {
  it('gives each phase its own clock, from the moment the phase began', () => {
    expect(judgeDeadline(state(requested), undefined, deadlines, now(9))).toMatchObject({ kind: 'wait', phase: 'queue' });
    expect(judgeDeadline(state(requested), undefined, deadlines, now(10))).toMatchObject({ kind: 'overdue', phase: 'queue' });
    // The build started at minute 8: its 15 minutes count from there, not from the request.
    expect(judgeDeadline(state(requested), at(8), deadlines, now(22))).toMatchObject({ kind: 'wait', phase: 'build' });
    expect(judgeDeadline(state(requested), at(8), deadlines, now(23))).toMatchObject({ kind: 'overdue', phase: 'build' });
    expect(judgeDeadline(state(requested, started), at(8), deadlines, now(23))).toMatchObject({ kind: 'wait', phase: 'roll-out' });
    expect(judgeDeadline(state(requested, started), at(8), deadlines, now(24))).toMatchObject({ kind: 'overdue', phase: 'roll-out' });
    expect(judgeDeadline(state(requested, started, rolledOut), at(8), deadlines, now(27))).toMatchObject({ kind: 'wait', phase: 'route' });
    expect(judgeDeadline(state(requested, started, rolledOut), at(8), deadlines, now(28))).toMatchObject({ kind: 'overdue', phase: 'route' });
  });

  it('leaves finished deployments alone, however old', () => {
    expect(judgeDeadline(state(requested, started, rolledOut, succeeded), at(8), deadlines, now(59))).toEqual({ kind: 'finished' });
    expect(judgeDeadline(state(), undefined, deadlines, now(59))).toEqual({ kind: 'finished' });
  });

  it('looks again before the deadline, at most 10 s apart', () => {
    const soon = judgeDeadline(state(requested), undefined, deadlines, new Date(Date.parse(at(10)) - 2_000));
    expect(soon).toEqual({ kind: 'wait', phase: 'queue', recheckInMs: 2_050 });
    expect(judgeDeadline(state(requested), undefined, deadlines, now(1))).toMatchObject({ recheckInMs: 10_000 });
  });

  it('says what was waited for, since when, what was last seen and what to do', () => {
    const verdict = judgeDeadline(state(requested, started, rolledOut), at(8), deadlines, now(40));
    expect(verdict).toEqual({ kind: 'overdue', phase: 'route', since: '2026-11-29T10:25:00.000Z' });
    expect(deadlineReason(verdict as { phase: 'route'; since: string }, deadlines, 'Routing web-shop.localhost → tasks.shop-web:3000')).toBe(
      'Timed out in the route phase: waited 3 min (since 2026-11-29T10:25:00.000Z) for its domains to point at the new version. ' +
        'Last seen: \u201cRouting web-shop.localhost → tasks.shop-web:3000\u201d. Check the routing service in /status, then deploy again.',
    );
  });

  it('counts the route phase from the roll-out\u2019s start for events recorded before rolledOutAt existed', () => {
    const old: DeploymentEvent = { type: 'DeploymentRolledOut', data: { ...d, swarmService: 'shop-web', network: 'slipway-shop' } };
    expect(judgeDeadline(state(requested, started, old), undefined, deadlines, now(23))).toMatchObject({ kind: 'overdue', phase: 'route' });
  });

  it('ends a wait for dependencies whose news was lost', () => {
    const waiting: DeploymentEvent = {
      ...requested,
      data: { ...(requested.data as object), waitsFor: [{ deploymentId: 'd_0', serviceId: 's_0', serviceName: 'db' }] },
    } as DeploymentEvent;
    expect(judgeDeadline(state(waiting), undefined, deadlines, now(59))).toMatchObject({ kind: 'wait', phase: 'dependencies' });
    expect(judgeDeadline(state(waiting), undefined, deadlines, now(60))).toMatchObject({ kind: 'overdue', phase: 'dependencies' });
  });

  it('reads its deadlines from the environment, in seconds', () => {
    expect(deadlinesFromEnv({ SLIPWAY_DEADLINE_BUILD_S: '2', SLIPWAY_DEADLINE_ROUTE_S: 'soon' })).toEqual({
      dependencies: 3 * 60 * 60_000,
      queue: 30 * 60_000,
      build: 2_000,
      'roll-out': 10 * 60_000,
      route: 5 * 60_000,
    });
  });
});

describe('a dead-lettered step', () => {
  const letter = { consumer: 'routing-on-deployment-rolled-out', subject: 'platform.deploy.events.deployment.d_9', attempts: 5, error: 'connect ECONNREFUSED 172.18.0.3:2019' };

  it('fails the deployment its event belongs to, with the step and its last error', () => {
    expect(deploymentFailedByDeadLetter(letter)).toEqual({
      deploymentId: 'd_9',
      reason: 'Routing gave up after 5 attempt(s): connect ECONNREFUSED 172.18.0.3:2019. Fix the cause, then deploy again.',
    });
    expect(deploymentFailedByDeadLetter({ ...letter, consumer: 'build-runner', subject: 'platform.build.events.build.d_9' })).toMatchObject({
      deploymentId: 'd_9',
      reason: expect.stringMatching(/^The build gave up after 5/),
    });
  });

  it('ends nothing when the consumer is not a pipeline step, or the event is not a deployment\u2019s', () => {
    expect(deploymentFailedByDeadLetter({ ...letter, consumer: 'gateway-deployments-view' })).toBeUndefined();
    expect(deploymentFailedByDeadLetter({ ...letter, subject: 'platform.project.events.project.p_1' })).toBeUndefined();
  });
});
