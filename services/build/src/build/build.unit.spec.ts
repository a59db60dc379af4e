import { deciderSpec, workflowSpec } from '@slipway/testing';
import { buildDecider, type BuildEvent } from './build.decider';
import { buildOnDeploymentRequested } from './build-on-deployment-requested.workflow';

const ids = { deploymentId: 'd_1', serviceId: 's_1', projectId: 'p_1' };
const requestedAt = '2026-11-28T10:00:00.000Z';
const buildRequested: BuildEvent = { type: 'BuildRequested', data: { buildId: 'd_1', ...ids } };

describe('build on deployment requested', () => {
  it('requests one build per deployment', () => {
    workflowSpec(buildOnDeploymentRequested)
      .when({ type: 'DeploymentRequested', data: { ...ids, requestedAt, trigger: { kind: 'manual' } } })
      .then([{ type: 'RequestBuild', data: { buildId: 'd_1', ...ids } }]);
  });

  it('builds nothing for a rollback: the earlier image is reused', () => {
    workflowSpec(buildOnDeploymentRequested)
      .when({ type: 'DeploymentRequested', data: { ...ids, requestedAt, trigger: { kind: 'rollback', toDeploymentId: 'd_0' } } })
      .then([]);
  });
});

describe('build decider', () => {
  const { given } = deciderSpec(buildDecider);
  it('records the request once, however often it is redelivered', () => {
    given([]).when({ type: 'RequestBuild', data: buildRequested.data }).then([buildRequested]);
    given([buildRequested]).when({ type: 'RequestBuild', data: buildRequested.data }).then([]);
  });
});
