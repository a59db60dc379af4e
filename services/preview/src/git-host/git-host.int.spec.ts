import { GiteaFixture, type GiteaRepository } from '@slipway/testing';
import { GitHostError, previewMarker } from './git-host.client';
import { gitHostFor } from './git-host.factory';

interface GiteaStatus {
  id: number;
  status: string;
  context: string;
  description: string;
  target_url: string;
}

describe('the Gitea client against a real Gitea', () => {
  let gitea: GiteaFixture;
  let repo: GiteaRepository;

  beforeAll(async () => {
    gitea = await GiteaFixture.start();
  }, 600_000); // a machine that has not built Gitea yet builds it here

  afterAll(async () => {
    if (repo) await gitea.deleteRepository(repo).catch(() => undefined);
    await gitea?.close();
  });

  it('keeps one preview comment per pull request, edited in place, and sets the commit status', async () => {
    repo = await gitea.createRepository('githost');
    const head = await gitea.push(repo, 'feature/cart', { 'index.js': 'console.log("cart");\n' }, 'Add the cart');
    const pr = await gitea.openPullRequest(repo, { head: 'feature/cart', title: 'Cart' });
    const other = previewMarker('other-project');
    await gitea.comment(repo, pr.number, 'Looks good to me');
    await gitea.comment(repo, pr.number, `${other}\nPreview of another project`);

    const { client, repo: parsed } = gitHostFor({ provider: 'gitea', cloneUrl: repo.cloneUrl, token: gitea.token }, { retryDelaysMs: [50, 100] });
    expect(parsed).toEqual({ webBase: gitea.url, owner: repo.owner, name: repo.name, path: `${repo.owner}/${repo.name}` });
    const marker = previewMarker('shop');

    // Gitea answers at most 50 items a page by default: ours comes after more than a page of others.
    for (let i = 1; i <= 55; i++) await gitea.comment(repo, pr.number, `Review note ${i}`);
    const first = await client.upsertComment({ repo: parsed, number: pr.number, marker, body: '| service | status |\n|---|---|\n| web | building |' });
    const second = await client.upsertComment({ repo: parsed, number: pr.number, marker, body: '| service | status |\n|---|---|\n| web | [ready](https://web-pr-1-shop.example.test) |' });
    expect(second).toBe(first);

    const comments = await gitea.comments(repo, pr.number);
    expect(comments.map((c) => c.body)).toEqual([
      'Looks good to me',
      `${other}\nPreview of another project`,
      ...Array.from({ length: 55 }, (_, i) => `Review note ${i + 1}`),
      `${marker}\n| service | status |\n|---|---|\n| web | [ready](https://web-pr-1-shop.example.test) |`,
    ]);
    expect(comments.filter((c) => c.body.includes(marker)).map((c) => ({ id: c.id, by: c.user.login }))).toEqual([{ id: first, by: gitea.user }]);

    await client.setCommitStatus({ repo: parsed, sha: head, state: 'pending', context: 'slipway/preview', description: 'Building 1 of 2 services' });
    await client.setCommitStatus({
      repo: parsed,
      sha: head,
      state: 'success',
      context: 'slipway/preview',
      description: 'All 2 services are live',
      targetUrl: 'https://web-pr-1-shop.example.test',
    });
    const statuses = await gitea.api<GiteaStatus[]>('GET', `/repos/${repo.owner}/${repo.name}/commits/${head}/statuses`);
    expect([...statuses].sort((a, b) => b.id - a.id).map((s) => ({ state: s.status, context: s.context, description: s.description, url: s.target_url }))).toEqual([
      { state: 'success', context: 'slipway/preview', description: 'All 2 services are live', url: 'https://web-pr-1-shop.example.test' },
      { state: 'pending', context: 'slipway/preview', description: 'Building 1 of 2 services', url: '' },
    ]);
    const combined = await gitea.api<{ state: string }>('GET', `/repos/${repo.owner}/${repo.name}/commits/${head}/status`);
    expect(combined.state).toBe('success');
  });

  it('says what to do when Gitea refuses the token or does not know the repository', async () => {
    repo ??= await gitea.createRepository('githost');
    const refused = gitHostFor({ provider: 'gitea', cloneUrl: repo.cloneUrl, token: 'not-a-gitea-token' }).client;
    const repoOf = gitHostFor({ provider: 'gitea', cloneUrl: repo.cloneUrl, token: '' }).repo;
    const error = await refused.upsertComment({ repo: repoOf, number: 1, marker: previewMarker('shop'), body: 'x' }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(GitHostError);
    expect(error).toMatchObject({
      status: 401,
      provider: 'gitea',
      message: 'Gitea refused the token (401): give a token with the write:repository and write:issue scopes',
    });
    expect(String((error as Error).stack)).not.toContain('not-a-gitea-token');

    const sent: string[] = [];
    const counted: typeof fetch = (input, init) => {
      sent.push(`${init?.method} ${String(input)}`);
      return fetch(input, init);
    };
    const { client } = gitHostFor({ provider: 'gitea', cloneUrl: repo.cloneUrl, token: gitea.token }, { fetch: counted });
    // Gitea itself answers 500 here: still "not found" for the user, and not retried.
    await expect(client.upsertComment({ repo: repoOf, number: 9999, marker: previewMarker('shop'), body: 'x' })).rejects.toThrow(
      `Gitea did not find pull request #9999 of ${repoOf.path} (404): check the repository URL and the number, and that the token can see the repository`,
    );
    expect(sent).toEqual([`GET ${gitea.url}/api/v1/repos/${repoOf.path}/issues/9999/comments`]);
    const missing = { ...repoOf, name: `${repoOf.name}-gone`, path: `${repoOf.path}-gone` };
    await expect(client.upsertComment({ repo: missing, number: 1, marker: previewMarker('shop'), body: 'x' })).rejects.toThrow(
      `Gitea did not find pull request #1 of ${missing.path} (404): check the repository URL and the number, and that the token can see the repository`,
    );
    await expect(client.setCommitStatus({ repo: missing, sha: 'a'.repeat(40), state: 'error', context: 'slipway/preview', description: 'x' })).rejects.toThrow(
      `Gitea did not find commit aaaaaaaaaaaa of ${missing.path} (404)`,
    );
  });
});
