import type { CommitStatus, GitHostClient, GitRepo, UpsertComment } from './git-host.client';
import { withMarker } from './git-host.client';
import { hostRequest, type HostApi, type HostRequestOptions } from './host-request';
import { linkHeaderPages, upsertMarkedComment, type HostComment } from './marked-comment';

/** github.com's API, or a GitHub Enterprise Server's at <host>/api/v3. */
export const githubApiBase = (webBase: string): string =>
  new URL(webBase).host === 'github.com' ? 'https://api.github.com' : `${webBase}/api/v3`;

/** GitHub's REST API (v3, version 2022-11-28): issue comments on pull requests, commit statuses. */
export class GitHubClient implements GitHostClient {
  readonly provider = 'github' as const;
  private readonly api: HostApi;

  constructor(token: string, apiBaseUrl: string, private readonly options: HostRequestOptions = {}) {
    this.api = {
      provider: 'github',
      label: 'GitHub',
      baseUrl: apiBaseUrl.replace(/\/+$/, ''),
      headers: {
        authorization: `Bearer ${token}`,
        accept: 'application/vnd.github+json',
        'x-github-api-version': '2022-11-28',
        'user-agent': 'slipway-preview',
      },
      tokenNeeds: 'the repo scope (classic token) or Pull requests and Commit statuses read and write (fine-grained token)',
    };
  }

  async upsertComment({ repo, number, marker, body }: UpsertComment): Promise<number> {
    const base = `/repos/${repoPath(repo)}/issues`;
    const subject = `pull request #${number} of ${repo.path}`;
    const text = withMarker(marker, body);
    return upsertMarkedComment(
      linkHeaderPages<HostComment>(this.api, `${base}/${number}/comments?per_page=100`, subject, this.options),
      marker,
      async (id) => {
        await hostRequest(this.api, { method: 'PATCH', path: `${base}/comments/${id}`, body: { body: text }, subject: `comment ${id} on ${subject}` }, this.options);
      },
      async () => {
        const created = await hostRequest<HostComment>(this.api, { method: 'POST', path: `${base}/${number}/comments`, body: { body: text }, subject, creates: true }, this.options);
        return created.body.id;
      },
    );
  }

  async setCommitStatus({ repo, sha, state, context, description, targetUrl }: CommitStatus): Promise<void> {
    await hostRequest(
      this.api,
      {
        method: 'POST',
        path: `/repos/${repoPath(repo)}/statuses/${encodeURIComponent(sha)}`,
        body: { state, context, description: shortDescription(description), ...(targetUrl ? { target_url: targetUrl } : {}) },
        subject: `commit ${sha.slice(0, 12)} of ${repo.path}`,
      },
      this.options,
    );
  }
}

export const repoPath = (repo: GitRepo): string => `${encodeURIComponent(repo.owner)}/${encodeURIComponent(repo.name)}`;

/** GitHub and Gitea show one line; GitHub refuses long descriptions (140 characters in practice). */
export const shortDescription = (description: string): string =>
  description.length > 140 ? `${description.slice(0, 139)}…` : description;
