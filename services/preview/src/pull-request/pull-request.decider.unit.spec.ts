import { deciderSpec } from '@slipway/testing';
import { pullRequestDecider, type PullRequestEvent } from './pull-request.decider';

const data = {
  projectId: 'p_1',
  provider: 'github' as const,
  number: 42,
  action: 'opened' as const,
  headRef: 'feature/login',
  headSha: '0123456789abcdef0123456789abcdef01234567',
  repositoryUrl: 'https://github.com/acme/shop.git',
  deliveryId: 'delivery-1',
  title: 'Sign in',
  merged: false,
  fromFork: false,
  htmlUrl: 'https://github.com/acme/shop/pull/42',
  author: 'ada',
};
const received: PullRequestEvent = { type: 'PullRequestReceived', data };
const { given } = deciderSpec(pullRequestDecider);

describe('pull request events', () => {
  it('records each delivery once', () => {
    given([]).when({ type: 'RecordPullRequest', data }).then([received]);
    given([received]).when({ type: 'RecordPullRequest', data }).then([]);
    const synchronized = { ...data, action: 'updated' as const, deliveryId: 'delivery-2' };
    given([received]).when({ type: 'RecordPullRequest', data: synchronized }).then([{ type: 'PullRequestReceived', data: synchronized }]);
  });
});
