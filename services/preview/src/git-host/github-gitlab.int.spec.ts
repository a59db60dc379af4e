import { GitHostError, previewMarker } from './git-host.client';
import { gitHostFor } from './git-host.factory';
import { startHostedApis } from './hosted-api.fixture';

const TOKEN = 'glpat-or-ghp-test-token';
const SHA = 'a1b2c3d4e5f60718293a4b5c6d7e8f9012345678';
const fast = { retryDelaysMs: [10, 20], timeoutMs: 300 };
const marker = previewMarker('shop');

describe('the GitHub and GitLab clients against their documented endpoints', () => {
  let hosts: Awaited<ReturnType<typeof startHostedApis>>;

  beforeEach(async () => {
    hosts = await startHostedApis({ token: TOKEN, user: 'slipway-bot', pageSize: 2 });
  });
  afterEach(() => hosts.close());

  const sent = () => hosts.requests.map((r) => `${r.method} ${r.url.replace(hosts.url, '')}`);

  describe('GitHub Enterprise (API at <host>/api/v3)', () => {
    const github = (token = TOKEN) => gitHostFor({ provider: 'github', cloneUrl: `${hosts.url}/acme/shop.git`, token }, fast);

    it('edits our comment found on the third page, passing over a copied marker it may not edit', async () => {
      hosts.seed(
        'gh:acme/shop#7',
        { body: 'LGTM', author: 'alice' },
        { body: `quoting: ${marker}`, author: 'mallory' },
        { body: 'one nit', author: 'bob' },
        { body: 'fixed', author: 'alice' },
        { body: `${marker}\nweb: building`, author: 'slipway-bot' },
      );
      const ours = hosts.thread('gh:acme/shop#7')[4].id;
      const { client, repo } = github();

      expect(await client.upsertComment({ repo, number: 7, marker, body: 'web: live at https://web-pr-7-shop.example.test' })).toBe(ours);

      const mallory = hosts.thread('gh:acme/shop#7')[1].id;
      expect(sent()).toEqual([
        'GET /api/v3/repos/acme/shop/issues/7/comments?per_page=100',
        `PATCH /api/v3/repos/acme/shop/issues/comments/${mallory}`,
        'GET /api/v3/repos/acme/shop/issues/7/comments?per_page=100&page=2',
        'GET /api/v3/repos/acme/shop/issues/7/comments?per_page=100&page=3',
        `PATCH /api/v3/repos/acme/shop/issues/comments/${ours}`,
      ]);
      const edit = hosts.requests[4];
      expect(edit.headers).toMatchObject({
        authorization: `Bearer ${TOKEN}`,
        accept: 'application/vnd.github+json',
        'x-github-api-version': '2022-11-28',
        'user-agent': 'slipway-preview',
        'content-type': 'application/json',
      });
      expect(edit.body).toEqual({ body: `${marker}\nweb: live at https://web-pr-7-shop.example.test` });
      expect(hosts.thread('gh:acme/shop#7').map((c) => c.body)).toEqual([
        'LGTM',
        `quoting: ${marker}`,
        'one nit',
        'fixed',
        `${marker}\nweb: live at https://web-pr-7-shop.example.test`,
      ]);
    });

    it('does not follow a next-page link to another host with the token', async () => {
      hosts.seed('gh:acme/shop#7', { body: 'LGTM', author: 'alice' }, { body: 'one nit', author: 'bob' }, { body: 'fixed', author: 'alice' });
      hosts.settings.linkOrigin = 'http://127.0.0.2:9';
      const { client, repo } = github();
      await expect(client.upsertComment({ repo, number: 7, marker, body: 'x' })).rejects.toThrow(
        'GitHub pointed the next page to another host (http://127.0.0.2:9); refusing to send the token there',
      );
      expect(sent()).toEqual(['GET /api/v3/repos/acme/shop/issues/7/comments?per_page=100']);
    });

    it('creates the comment once, then edits it, and posts a commit status', async () => {
      const { client, repo } = github();
      const created = await client.upsertComment({ repo, number: 8, marker, body: 'web: building' });
      const edited = await client.upsertComment({ repo, number: 8, marker, body: 'web: failed' });
      expect(edited).toBe(created);
      expect(hosts.thread('gh:acme/shop#8')).toEqual([{ id: created, body: `${marker}\nweb: failed`, author: 'slipway-bot' }]);
      expect(sent()).toEqual([
        'GET /api/v3/repos/acme/shop/issues/8/comments?per_page=100',
        'POST /api/v3/repos/acme/shop/issues/8/comments',
        'GET /api/v3/repos/acme/shop/issues/8/comments?per_page=100',
        `PATCH /api/v3/repos/acme/shop/issues/comments/${created}`,
      ]);

      await client.setCommitStatus({ repo, sha: SHA, state: 'failure', context: 'slipway/preview', description: 'web failed its health check', targetUrl: 'https://slipway.example.test/previews/p1' });
      const status = hosts.requests.at(-1)!;
      expect(`${status.method} ${status.url}`).toBe(`POST /api/v3/repos/acme/shop/statuses/${SHA}`);
      expect(status.body).toEqual({ state: 'failure', context: 'slipway/preview', description: 'web failed its health check', target_url: 'https://slipway.example.test/previews/p1' });
    });

    it('retries a 5xx twice at most, never retries creating a comment, and gives readable errors', async () => {
      const { client, repo } = github();
      hosts.fail(502, 2);
      await client.setCommitStatus({ repo, sha: SHA, state: 'pending', context: 'slipway/preview', description: 'Building' });
      expect(hosts.statuses).toEqual([{ sha: SHA, state: 'pending', name: 'slipway/preview', description: 'Building', targetUrl: undefined }]);
      expect(hosts.requests).toHaveLength(3);

      hosts.fail(503, 3);
      await expect(client.setCommitStatus({ repo, sha: SHA, state: 'success', context: 'slipway/preview', description: 'Live' })).rejects.toThrow(
        `GitHub failed (503) for commit ${SHA.slice(0, 12)} of acme/shop 3 times; try again later`,
      );
      expect(hosts.requests).toHaveLength(6);

      hosts.requests.length = 0;
      hosts.fail(502, 1, 'GET'); // the listing, retried
      hosts.fail(502, 1, 'POST'); // the creation: it may have landed, so it is not repeated
      await expect(client.upsertComment({ repo, number: 9, marker, body: 'x' })).rejects.toThrow('GitHub failed (502) for pull request #9 of acme/shop; try again later');
      expect(sent()).toEqual([
        'GET /api/v3/repos/acme/shop/issues/9/comments?per_page=100',
        'GET /api/v3/repos/acme/shop/issues/9/comments?per_page=100',
        'POST /api/v3/repos/acme/shop/issues/9/comments',
      ]);

      hosts.fail('hang', 3);
      await expect(client.setCommitStatus({ repo, sha: SHA, state: 'error', context: 'slipway/preview', description: 'x' })).rejects.toThrow(
        `GitHub did not answer within 0.3 s (POST for commit ${SHA.slice(0, 12)} of acme/shop); try again later`,
      );

      const gone = await startHostedApis({ token: TOKEN, user: 'slipway-bot' });
      await gone.close(); // its port now refuses connections
      const closed = gitHostFor({ provider: 'github', cloneUrl: `${gone.url}/acme/shop`, token: TOKEN }, fast);
      await expect(closed.client.upsertComment({ repo: closed.repo, number: 9, marker, body: 'x' })).rejects.toThrow(
        `Could not reach GitHub at ${gone.url}/api/v3 (ECONNREFUSED); check the host name and that Slipway can reach it`,
      );

      const refused = await github('ghp_revoked').client.upsertComment({ repo, number: 9, marker, body: 'x' }).catch((e: unknown) => e);
      expect(refused).toBeInstanceOf(GitHostError);
      expect((refused as GitHostError).message).toBe(
        'GitHub refused the token (401): give a token with the repo scope (classic token) or Pull requests and Commit statuses read and write (fine-grained token)',
      );
    });
  });

  describe('GitLab (nested groups, API at <host>/api/v4)', () => {
    const gitlab = () => gitHostFor({ provider: 'gitlab', cloneUrl: `${hosts.url}/acme/team/shop.git`, token: TOKEN }, fast);
    const notes = '/api/v4/projects/acme%2Fteam%2Fshop/merge_requests/3/notes';

    it('follows X-Next-Page past system notes to our note and edits it with PUT', async () => {
      hosts.seed(
        'gl:acme%2Fteam%2Fshop!3',
        { body: 'added 1 commit', author: 'alice', system: true },
        { body: 'please rename', author: 'bob' },
        { body: 'mentioned in merge request !2', author: 'alice', system: true },
        { body: `${marker}\nweb: building`, author: 'slipway-bot' },
      );
      const ours = hosts.thread('gl:acme%2Fteam%2Fshop!3')[3].id;
      const { client, repo } = gitlab();
      expect(await client.upsertComment({ repo, number: 3, marker, body: 'web: live' })).toBe(ours);
      expect(sent()).toEqual([
        `GET ${notes}?sort=asc&order_by=created_at&per_page=100&page=1`,
        `GET ${notes}?sort=asc&order_by=created_at&per_page=100&page=2`,
        `PUT ${notes}/${ours}`,
      ]);
      expect(hosts.requests[2].headers).toMatchObject({ authorization: `Bearer ${TOKEN}`, 'content-type': 'application/json' });
      expect(hosts.requests[2].body).toEqual({ body: `${marker}\nweb: live` });

      const created = await client.upsertComment({ repo, number: 4, marker, body: 'web: building' });
      expect(hosts.thread('gl:acme%2Fteam%2Fshop!4')).toEqual([{ id: created, body: `${marker}\nweb: building`, author: 'slipway-bot' }]);
      expect(sent().at(-1)).toBe('POST /api/v4/projects/acme%2Fteam%2Fshop/merge_requests/4/notes');
    });

    it('maps our states to GitLab\'s, and takes "cannot transition" for the state it already has', async () => {
      const { client, repo } = gitlab();
      const status = { repo, sha: SHA, context: 'slipway/preview', targetUrl: 'https://slipway.example.test/previews/p1' };
      await client.setCommitStatus({ ...status, state: 'pending', description: 'Building' });
      await client.setCommitStatus({ ...status, state: 'pending', description: 'Still building' });
      await client.setCommitStatus({ ...status, state: 'error', description: 'The build failed' });
      expect(sent()).toEqual(Array(3).fill(`POST /api/v4/projects/acme%2Fteam%2Fshop/statuses/${SHA}`));
      expect(hosts.requests[2].body).toEqual({ state: 'failed', name: 'slipway/preview', description: 'The build failed', target_url: 'https://slipway.example.test/previews/p1' });
      expect(hosts.statuses.map((s) => s.state)).toEqual(['pending', 'failed']);

      const refused = gitHostFor({ provider: 'gitlab', cloneUrl: `${hosts.url}/acme/team/shop`, token: 'nope' }, fast).client;
      await expect(refused.setCommitStatus({ ...status, state: 'success', description: 'Live' })).rejects.toThrow(
        'GitLab refused the token (401): give a token with the api scope and at least the Developer role',
      );
    });
  });
});
