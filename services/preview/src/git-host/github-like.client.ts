import type { CommitStatus, GitHostClient, GitRepo, UpsertComment } from './git-host.client';
import { withMarker } from './git-host.client';
import { hostRequest, type HostApi, type HostRequestOptions } from './host-request';
import { linkHeaderPages, upsertMarkedComment, type HostComment } from './marked-comment';

/**
 * GitHub's REST API and Gitea's, which follows it: a pull request's comments are its issue's, the
 * same paths and bodies; only the base, the headers and the page size differ (the subclasses).
 */
export abstract class GitHubLikeClient implements GitHostClient {
  abstract readonly provider: 'github' | 'gitea';
  protected abstract readonly api: HostApi;
  /** Appended to the comments listing (GitHub: the largest page). */
  protected readonly commentsQuery: string = '';

  constructor(protected readonly options: HostRequestOptions = {}) {}

  async upsertComment({ repo, number, marker, body }: UpsertComment): Promise<number> {
    const base = `/repos/${repoPath(repo)}/issues`;
    const subject = `pull request #${number} of ${repo.path}`;
    const text = withMarker(marker, body);
    return upsertMarkedComment(
      linkHeaderPages<HostComment>(this.api, `${base}/${number}/comments${this.commentsQuery}`, subject, this.options),
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
