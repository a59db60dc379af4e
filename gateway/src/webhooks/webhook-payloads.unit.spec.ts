import examples from '@octokit/webhooks-examples';
import { eventName, normalizeRepositoryUrl, readIntent } from './webhook-payloads';

const github = (name: string) => examples.find((e) => e.name === name)!.examples as Record<string, unknown>[];

describe('webhook payloads', () => {
  it("reads GitHub's push examples: branch pushes and tag pushes", () => {
    const pushes = github('push').map((body) => readIntent('github', 'push', body));
    expect(pushes).toContainEqual({
      kind: 'push',
      repositoryUrls: expect.arrayContaining(['https://github.com/Codertocat/Hello-World.git']),
      branch: 'master',
      commitSha: expect.stringMatching(/^[0-9a-f]{40}$/),
    });
    expect(pushes.filter((p) => p.kind === 'push' && p.branch === null).length).toBeGreaterThan(0); // tags deploy nothing
  });

  it("reads GitHub's pull_request examples", () => {
    const [opened] = github('pull_request').map((body) => readIntent('github', 'pull_request', body));
    expect(opened).toMatchObject({ kind: 'pull-request', number: expect.any(Number), action: expect.any(String), headSha: expect.stringMatching(/^[0-9a-f]{40}$/) });
  });

  it('reads the documented GitLab push and merge request shapes', () => {
    expect(eventName('gitlab', { 'x-gitlab-event': 'Push Hook' })).toBe('push');
    const push = readIntent('gitlab', 'push', {
      object_kind: 'push',
      ref: 'refs/heads/main',
      checkout_sha: 'da1560886d4f094c3e6c9ef40349f7d38b5d27d7',
      project: { git_http_url: 'https://gitlab.example.com/acme/shop.git', git_ssh_url: 'git@gitlab.example.com:acme/shop.git' },
    });
    expect(push).toEqual({
      kind: 'push',
      repositoryUrls: ['https://gitlab.example.com/acme/shop.git', 'git@gitlab.example.com:acme/shop.git'],
      branch: 'main',
      commitSha: 'da1560886d4f094c3e6c9ef40349f7d38b5d27d7',
    });
    const mr = readIntent('gitlab', 'merge_request', {
      object_kind: 'merge_request',
      project: { git_http_url: 'https://gitlab.example.com/acme/shop.git' },
      object_attributes: { iid: 7, action: 'open', source_branch: 'feature/login', last_commit: { id: 'da1560886d4f094c3e6c9ef40349f7d38b5d27d7' } },
    });
    expect(mr).toMatchObject({ kind: 'pull-request', number: 7, action: 'open', headRef: 'feature/login' });
  });

  it('treats a ping as a ping and anything else as ignored', () => {
    expect(readIntent('github', 'ping', {})).toEqual({ kind: 'ping' });
    expect(readIntent('github', 'star', {})).toEqual({ kind: 'ignored', event: 'star', repositoryUrls: [] });
  });

  it('compares repository URLs however they are spelled', () => {
    const forms = ['https://GitHub.com/Acme/Shop.git', 'git@github.com:acme/shop.git', 'ssh://git@github.com/acme/shop', 'https://github.com/acme/shop/'];
    expect(new Set(forms.map(normalizeRepositoryUrl))).toEqual(new Set(['github.com/acme/shop']));
    expect(normalizeRepositoryUrl('file:///tmp/repo')).toBe('/tmp/repo');
  });
});
