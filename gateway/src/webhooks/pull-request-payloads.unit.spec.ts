import examples from '@octokit/webhooks-examples';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { MalformedPullRequestPayload, pullRequestOf } from './pull-request-payloads';

type Json = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any

// GitHub: the documented examples, one or more per action, from @octokit/webhooks-examples.
const githubExamples = (name: string) => examples.find((e) => e.name === name)!.examples as Json[];
const githubPullRequests = githubExamples('pull_request');
const githubExample = (action: string) => structuredClone(githubPullRequests.find((e) => e.action === action)!);

// Gitea: deliveries Gitea 1.26.0 itself sent to a receiver, captured once with GiteaFixture (the tests'
// Gitea, infra/scripts/gitea.sh): open, push, edit the title, assign, close, reopen, merge; then a pull
// request from a fork in a second repository, closed by Gitea when that fork was deleted.
const fixtures = join(__dirname, 'fixtures');
const giteaDelivery = (name: string) => JSON.parse(readFileSync(join(fixtures, `gitea-1.26.0.pull_request.${name}.json`), 'utf8')) as { headers: Record<string, string>; body: Json };

// GitLab: cannot be reached from here. The shape of the "Payload example" under "Merge request events"
// in GitLab's docs (doc/user/project/integrations/webhook_events.md), values kept, fields Slipway does not
// read left out; `oldrev` is documented as present only when the update pushed new code.
const gitlabMergeRequest = (attributes: Json = {}): Json => ({
  object_kind: 'merge_request',
  event_type: 'merge_request',
  user: { id: 1, name: 'Administrator', username: 'root', email: 'admin@example.com' },
  project: {
    id: 1,
    name: 'Gitlab Test',
    web_url: 'http://example.com/gitlabhq/gitlab-test',
    git_ssh_url: 'git@example.com:gitlabhq/gitlab-test.git',
    git_http_url: 'http://example.com/gitlabhq/gitlab-test.git',
    path_with_namespace: 'gitlabhq/gitlab-test',
  },
  repository: { name: 'Gitlab Test', url: 'http://example.com/gitlabhq/gitlab-test.git', homepage: 'http://example.com/gitlabhq/gitlab-test' },
  object_attributes: {
    id: 99,
    iid: 1,
    target_branch: 'master',
    source_branch: 'ms-viewport',
    source_project_id: 14,
    target_project_id: 14,
    author_id: 51,
    title: 'MS-Viewport',
    state: 'opened',
    url: 'http://example.com/diaspora/merge_requests/1',
    source: { name: 'Awesome Project', git_http_url: 'http://example.com/awesome_space/awesome_project.git', path_with_namespace: 'awesome_space/awesome_project' },
    target: { name: 'Awesome Project', git_http_url: 'http://example.com/awesome_space/awesome_project.git', path_with_namespace: 'awesome_space/awesome_project' },
    last_commit: { id: 'da1560886d4f094c3e6c9ef40349f7d38b5d27d7', message: 'fixed readme' },
    action: 'open',
    ...attributes,
  },
});

const malformed = (run: () => unknown) => {
  try {
    run();
  } catch (e) {
    expect(e).toBeInstanceOf(MalformedPullRequestPayload);
    return (e as Error).message;
  }
  throw new Error('expected MalformedPullRequestPayload');
};

describe('pull request payloads', () => {
  describe("GitHub's documented pull_request examples", () => {
    const pr2 = {
      provider: 'github',
      number: 2,
      title: 'Update the README with new information.',
      merged: false,
      headRef: 'changes',
      headSha: 'ec26c3e57ca3a959ca5aad62de7213c562f8c821',
      baseRef: 'master',
      repositoryUrl: 'https://github.com/Codertocat/Hello-World.git',
      headRepositoryUrl: 'https://github.com/Codertocat/Hello-World.git',
      fromFork: false,
      author: 'Codertocat',
      htmlUrl: 'https://github.com/Codertocat/Hello-World/pull/2',
    };
    const mapping: Record<string, string> = { opened: 'opened', reopened: 'opened', synchronize: 'updated', closed: 'closed' };

    it('maps every example by its action: opened, reopened, synchronize and closed act; edits, labels, reviews… do not', () => {
      const actions = new Set(githubPullRequests.map((e) => e.action as string));
      expect([...actions]).toEqual(expect.arrayContaining(['opened', 'reopened', 'synchronize', 'closed', 'labeled', 'assigned', 'review_requested']));
      for (const example of githubPullRequests) {
        const expected = mapping[example.action] ? { ...pr2, action: mapping[example.action] } : null;
        expect({ action: example.action, read: pullRequestOf('github', 'pull_request', example) }).toEqual({ action: example.action, read: expected });
      }
    });

    it('tells a merged close from a plain one', () => {
      // The package's closed examples are all unmerged; a merge is the same delivery with merged: true.
      expect(pullRequestOf('github', 'pull_request', githubExample('closed'))).toMatchObject({ action: 'closed', merged: false });
      const merged = githubExample('closed');
      merged.pull_request.merged = true;
      expect(pullRequestOf('github', 'pull_request', merged)).toMatchObject({ action: 'closed', merged: true });
    });

    it('marks a pull request from a fork, and from a deleted fork (head.repo null)', () => {
      const fork = githubExample('opened');
      fork.pull_request.head.repo.full_name = 'octocat-fork/Hello-World';
      fork.pull_request.head.repo.clone_url = 'https://github.com/octocat-fork/Hello-World.git';
      expect(pullRequestOf('github', 'pull_request', fork)).toMatchObject({
        fromFork: true,
        repositoryUrl: 'https://github.com/Codertocat/Hello-World.git',
        headRepositoryUrl: 'https://github.com/octocat-fork/Hello-World.git',
      });
      const deleted = githubExample('synchronize');
      deleted.pull_request.head.repo = null;
      expect(pullRequestOf('github', 'pull_request', deleted)).toMatchObject({ action: 'updated', fromFork: true, headRepositoryUrl: null });
    });

    it('ignores other events, even with a pull request in them', () => {
      expect(pullRequestOf('github', 'push', githubExamples('push')[0])).toBeNull();
      expect(pullRequestOf('github', 'pull_request_review', githubExamples('pull_request_review')[0])).toBeNull();
      expect(pullRequestOf('github', 'issues', githubExamples('issues')[0])).toBeNull();
    });
  });

  describe("GitLab's documented Merge Request Hook", () => {
    it('reads an opened merge request', () => {
      expect(pullRequestOf('gitlab', 'Merge Request Hook', gitlabMergeRequest())).toEqual({
        provider: 'gitlab',
        number: 1,
        title: 'MS-Viewport',
        action: 'opened',
        merged: false,
        headRef: 'ms-viewport',
        headSha: 'da1560886d4f094c3e6c9ef40349f7d38b5d27d7',
        baseRef: 'master',
        repositoryUrl: 'http://example.com/gitlabhq/gitlab-test.git',
        headRepositoryUrl: 'http://example.com/awesome_space/awesome_project.git',
        fromFork: false,
        author: 'root',
        htmlUrl: 'http://example.com/diaspora/merge_requests/1',
      });
    });

    it('maps reopen, update with a new commit, close and merge; ignores edits and approvals', () => {
      const read = (attributes: Json, event = 'Merge Request Hook') => pullRequestOf('gitlab', event, gitlabMergeRequest(attributes));
      expect(read({ action: 'reopen' })).toMatchObject({ action: 'opened', merged: false });
      expect(read({ action: 'update', oldrev: '95790bf891e76fee5e1747ab589903a6a1f80f22' })).toMatchObject({ action: 'updated' });
      expect(read({ action: 'update' })).toBeNull(); // a title or label edit: no oldrev
      expect(read({ action: 'close', state: 'closed' })).toMatchObject({ action: 'closed', merged: false });
      expect(read({ action: 'merge', state: 'merged' })).toMatchObject({ action: 'closed', merged: true });
      for (const action of ['approved', 'unapproved', 'approval', 'unapproval']) expect(read({ action })).toBeNull();
      // eventName() spells the header "merge_request"; both are read.
      expect(read({}, 'merge_request')).toMatchObject({ action: 'opened' });
    });

    it('marks a merge request from a fork, and from a deleted one', () => {
      expect(pullRequestOf('gitlab', 'Merge Request Hook', gitlabMergeRequest({ source_project_id: 15 }))).toMatchObject({
        fromFork: true,
        headRepositoryUrl: 'http://example.com/awesome_space/awesome_project.git',
      });
      expect(pullRequestOf('gitlab', 'Merge Request Hook', gitlabMergeRequest({ source_project_id: null, source: null }))).toMatchObject({
        fromFork: true,
        headRepositoryUrl: null,
      });
    });

    it('ignores other hooks', () => {
      expect(pullRequestOf('gitlab', 'Push Hook', { object_kind: 'push' })).toBeNull();
      expect(pullRequestOf('gitlab', 'Note Hook', gitlabMergeRequest())).toBeNull();
    });
  });

  describe("Gitea 1.26's own deliveries", () => {
    const read = (name: string, tweak: (body: Json) => void = () => undefined) => {
      const { headers, body } = giteaDelivery(name);
      tweak(body);
      return pullRequestOf('gitea', headers['x-gitea-event'], body);
    };
    const repo = /^http:\/\/127\.0\.0\.1:3300\/slipway-admin\/prpayloads-[0-9a-z]+-[0-9a-f]+\.git$/;

    it('reads every captured delivery', () => {
      const expected: Record<string, Json | null> = {
        opened: { action: 'opened', title: 'Login page', fromFork: false },
        synchronized: { action: 'updated', fromFork: false },
        edited: null,
        assigned: null,
        closed: { action: 'closed', merged: false },
        reopened: { action: 'opened', title: 'Login page, fixed' },
        'closed-merged': { action: 'closed', merged: true },
        'opened-fork': { action: 'opened', title: 'Dark mode', fromFork: true },
        'closed-fork-deleted': { action: 'closed', merged: false, fromFork: true },
      };
      const captured = readdirSync(fixtures).map((f) => /^gitea-1\.26\.0\.pull_request\.(.+)\.json$/.exec(f)?.[1]);
      expect(captured.sort()).toEqual(Object.keys(expected).sort());
      for (const [name, wanted] of Object.entries(expected)) expect({ name, read: read(name) }).toEqual({ name, read: wanted && expect.objectContaining(wanted) });
    });

    it('reads the fields of an opened pull request and a push to it', () => {
      const opened = read('opened')!;
      expect(opened).toEqual({
        provider: 'gitea',
        number: 1,
        title: 'Login page',
        action: 'opened',
        merged: false,
        headRef: 'feature/login',
        headSha: expect.stringMatching(/^[0-9a-f]{40}$/),
        baseRef: 'main',
        repositoryUrl: expect.stringMatching(repo),
        headRepositoryUrl: opened.repositoryUrl,
        fromFork: false,
        author: 'slipway-admin',
        htmlUrl: `${opened.repositoryUrl.replace(/\.git$/, '')}/pulls/1`,
      });
      const synchronized = read('synchronized')!;
      expect(synchronized.headSha).toMatch(/^[0-9a-f]{40}$/);
      expect(synchronized.headSha).not.toBe(opened.headSha);
    });

    it('takes the base repository as the repository and the fork as the head', () => {
      const fork = read('opened-fork')!;
      expect(fork.repositoryUrl).toMatch(repo);
      expect(fork.headRepositoryUrl).toBe(fork.repositoryUrl.replace(/\.git$/, '-fork.git'));
      expect(read('opened-fork', (b) => (b.pull_request.head.repo = null))).toMatchObject({ fromFork: true, headRepositoryUrl: null });
    });

    it('ignores other events', () => {
      expect(pullRequestOf('gitea', 'push', { ref: 'refs/heads/main' })).toBeNull();
      expect(pullRequestOf('gitea', 'issues', giteaDelivery('opened').body)).toBeNull();
    });
  });

  describe('malformed payloads', () => {
    it('says which field is missing or mistyped, for each host', () => {
      const noSha = githubExample('opened');
      delete noSha.pull_request.head.sha;
      expect(malformed(() => pullRequestOf('github', 'pull_request', noSha))).toBe('The GitHub pull_request payload has no pull_request.head.sha');

      const textNumber = githubExample('opened');
      textNumber.pull_request.number = '2';
      expect(malformed(() => pullRequestOf('github', 'pull_request', textNumber))).toBe(
        `The GitHub pull_request payload's pull_request.number should be a whole number above 0, not the text "2"`,
      );

      const closedUnknown = githubExample('closed');
      delete closedUnknown.pull_request.merged;
      expect(malformed(() => pullRequestOf('github', 'pull_request', closedUnknown))).toBe('The GitHub pull_request payload has no pull_request.merged');

      const headRepoText = githubExample('opened');
      headRepoText.pull_request.head.repo = 'Codertocat/Hello-World';
      expect(malformed(() => pullRequestOf('github', 'pull_request', headRepoText))).toBe(
        `The GitHub pull_request payload's pull_request.head.repo should be an object, not the text "Codertocat/Hello-World"`,
      );

      expect(malformed(() => pullRequestOf('github', 'pull_request', { number: 2 }))).toBe('The GitHub pull_request payload has no action');

      const noCommit = gitlabMergeRequest({ last_commit: undefined });
      expect(malformed(() => pullRequestOf('gitlab', 'Merge Request Hook', noCommit))).toBe(
        'The GitLab Merge Request Hook payload has no object_attributes.last_commit.id',
      );
      const noProject = gitlabMergeRequest();
      delete noProject.project;
      expect(malformed(() => pullRequestOf('gitlab', 'Merge Request Hook', noProject))).toBe('The GitLab Merge Request Hook payload has no project.git_http_url');

      const { body } = giteaDelivery('synchronized');
      body.pull_request.base.repo.clone_url = 42;
      expect(malformed(() => pullRequestOf('gitea', 'pull_request', body))).toBe(
        "The Gitea pull_request payload's pull_request.base.repo.clone_url should be a non-empty text, not a number",
      );
    });

    it('refuses a body that is not a JSON object', () => {
      for (const body of [null, [], 'opened', 2]) {
        expect(malformed(() => pullRequestOf('gitea', 'pull_request', body))).toBe('The Gitea pull_request payload is not a JSON object');
      }
    });

    it('does not check an event it ignores', () => {
      expect(pullRequestOf('github', 'pull_request', { action: 'labeled' })).toBeNull();
      expect(pullRequestOf('gitlab', 'Merge Request Hook', { object_attributes: { action: 'approved' } })).toBeNull();
      expect(pullRequestOf('gitea', 'pull_request', { action: 'constructor' })).toBeNull();
    });
  });
});
