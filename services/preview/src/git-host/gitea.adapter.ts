import type { CommitStatus, GitHostClient, UpsertComment } from './git-host.client';
import { withMarker } from './git-host.client';
import { repoPath, shortDescription } from './github.adapter';
import { hostRequest, type HostApi, type HostRequestOptions } from './host-request';
import { linkHeaderPages, upsertMarkedComment, type HostComment } from './marked-comment';

/** Gitea's (and Forgejo's) API lives at <web base>/api/v1. */
export const giteaApiBase = (webBase: string): string => `${webBase}/api/v1`;

/** Gitea's REST API (v1): pull requests share the issue comments; commit statuses. */
export class GiteaClient implements GitHostClient {
  readonly provider = 'gitea' as const;
  private readonly api: HostApi;

  constructor(token: string, apiBaseUrl: string, private readonly options: HostRequestOptions = {}) {
    this.api = {
      provider: 'gitea',
      label: 'Gitea',
      baseUrl: apiBaseUrl.replace(/\/+$/, ''),
      headers: { authorization: `token ${token}`, accept: 'application/json' },
      tokenNeeds: 'the write:repository and write:issue scopes',
      // Gitea 1.26 answers the comments of a missing issue or pull request with 500 "issue does not exist".
      meaning: (status, said) => (status === 500 && /^issue does not exist/.test(said) ? 404 : status),
    };
  }

  async upsertComment({ repo, number, marker, body }: UpsertComment): Promise<number> {
    const base = `/repos/${repoPath(repo)}/issues`;
    const subject = `pull request #${number} of ${repo.path}`;
    const text = withMarker(marker, body);
    return upsertMarkedComment(
      linkHeaderPages<HostComment>(this.api, `${base}/${number}/comments`, subject, this.options),
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
