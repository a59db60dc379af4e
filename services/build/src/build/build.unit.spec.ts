import { deciderSpec, exampleServiceSpec, workflowSpec } from '@slipway/testing';
import { buildDecider, type BuildEvent } from './build.decider';
import { buildOnDeploymentReleased, buildOnDeploymentRequested } from './build-on-deployment-requested.workflow';

const ids = { deploymentId: 'd_1', serviceId: 's_1', projectId: 'p_1', projectName: 'shop', serviceName: 'web' };
const ends = { waitsFor: [], dependents: [] };
const requestedAt = '2026-11-28T10:00:00.000Z';
const spec = exampleServiceSpec({ build: { dockerfilePath: 'docker/Dockerfile' } });
const requestData = { buildId: 'd_1', ...ids, source: spec.source, dockerfilePath: 'docker/Dockerfile' };
const buildRequested: BuildEvent = { type: 'BuildRequested', data: requestData };

describe('build on deployment requested', () => {
  it('requests one build per deployment', () => {
    workflowSpec(buildOnDeploymentRequested)
      .when({ type: 'DeploymentRequested', data: { ...ids, ...ends, requestedAt, trigger: { kind: 'manual' }, spec } })
      .then([{ type: 'RequestBuild', data: requestData }]);
  });

  it('builds exactly the pushed commit for a push', () => {
    workflowSpec(buildOnDeploymentRequested)
      .when({ type: 'DeploymentRequested', data: { ...ids, ...ends, requestedAt, trigger: { kind: 'push', commitSha: 'abc1234def' }, spec } })
      .then([{ type: 'RequestBuild', data: { ...requestData, source: { kind: 'git', url: 'https://git.example/shop.git', ref: 'abc1234def' } } }]);
  });

  it('builds a deployment that waits for its dependencies only once it is released', () => {
    const waitsFor = [{ deploymentId: 'd_0', serviceId: 's_0', serviceName: 'db' }];
    workflowSpec(buildOnDeploymentRequested)
      .when({ type: 'DeploymentRequested', data: { ...ids, ...ends, waitsFor, requestedAt, trigger: { kind: 'manual' }, spec } })
      .then([]);
    expect(buildOnDeploymentReleased({ ...ids, ...ends, waitsFor, requestedAt, trigger: { kind: 'manual' }, spec })).toEqual([{ type: 'RequestBuild', data: requestData }]);
  });

  it('builds nothing for a rollback: the earlier image is reused', () => {
    workflowSpec(buildOnDeploymentRequested)
      .when({ type: 'DeploymentRequested', data: { ...ids, ...ends, requestedAt, trigger: { kind: 'rollback', toDeploymentId: 'd_0', imageRef: 'reg/shop-web:abc' }, spec } })
      .then([]);
  });
});

describe('build decider', () => {
  const { given } = deciderSpec(buildDecider);
  const started: BuildEvent = { type: 'BuildStarted', data: { buildId: 'd_1', commitSha: 'abc1234', strategy: 'node' } };
  const succeeded: BuildEvent = {
    type: 'BuildSucceeded',
    data: { buildId: 'd_1', imageRef: 'reg/shop/web:abc1234', digest: `sha256:${'a'.repeat(64)}` },
  };
  const failed: BuildEvent = { type: 'BuildFailed', data: { buildId: 'd_1', reason: 'Step 2/4 failed', lastLogLines: ['npm ERR!'] } };

  it('goes requested → running → succeeded, and a redelivered step says nothing', () => {
    given([buildRequested]).when({ type: 'StartBuild', data: started.data as never }).then([started]);
    given([buildRequested, started]).when({ type: 'StartBuild', data: started.data as never }).then([]);
    given([buildRequested, started]).when({ type: 'CompleteBuild', data: succeeded.data as never }).then([succeeded]);
    given([buildRequested, started, succeeded]).when({ type: 'FailBuild', data: failed.data as never }).then([]);
  });

  it('fails with the reason and the last lines', () => {
    given([buildRequested, started]).when({ type: 'FailBuild', data: failed.data as never }).then([failed]);
  });

  it('records the request once, however often it is redelivered', () => {
    given([]).when({ type: 'RequestBuild', data: requestData }).then([buildRequested]);
    given([buildRequested]).when({ type: 'RequestBuild', data: requestData }).then([]);
  });
});
