import type { CommitState, CommitStatus, GitHostClient, UpsertComment } from './git-host.client';
import { GitHostError, withMarker } from './git-host.client';
import { hostRequest, type HostApi, type HostRequestOptions } from './host-request';
import { upsertMarkedComment, type HostComment } from './marked-comment';
import { gitlabProjectId } from './repo-url';

export const gitlabApiBase = (webBase: string): string => `${webBase}/api/v4`;

type GitLabState = 'pending' | 'running' | 'success' | 'failed' | 'canceled';

/** GitLab has no "error": a preview that could not be set up failed. */
const GITLAB_STATE: Record<CommitState, GitLabState> = { pending: 'pending', success: 'success', failure: 'failed', error: 'failed' };

interface GitLabNote extends HostComment {
  system?: boolean;
}

const MAX_PAGES = 100;

/** GitLab's REST API (v4): merge request notes, commit statuses. */
export class GitLabClient implements GitHostClient {
  readonly provider = 'gitlab' as const;
  private readonly api: HostApi;

  constructor(token: string, apiBaseUrl: string, private readonly options: HostRequestOptions = {}) {
    this.api = {
      provider: 'gitlab',
      label: 'GitLab',
      baseUrl: apiBaseUrl.replace(/\/+$/, ''),
      // Bearer takes personal, project, group and OAuth tokens alike.
      headers: { authorization: `Bearer ${token}`, accept: 'application/json' },
      tokenNeeds: 'the api scope and at least the Developer role',
    };
  }

  async upsertComment({ repo, number, marker, body }: UpsertComment): Promise<number> {
    const notes = `/projects/${gitlabProjectId(repo)}/merge_requests/${number}/notes`;
    const subject = `merge request !${number} of ${repo.path}`;
    const text = withMarker(marker, body);
    return upsertMarkedComment(
      this.notePages(notes, subject),
      marker,
      async (id) => {
        await hostRequest(this.api, { method: 'PUT', path: `${notes}/${id}`, body: { body: text }, subject: `note ${id} on ${subject}` }, this.options);
      },
      async () => {
        const created = await hostRequest<HostComment>(this.api, { method: 'POST', path: notes, body: { body: text }, subject, creates: true }, this.options);
        return created.body.id;
      },
    );
  }

  async setCommitStatus({ repo, sha, state, context, description, targetUrl }: CommitStatus): Promise<void> {
    try {
      await hostRequest(
        this.api,
        {
          method: 'POST',
          path: `/projects/${gitlabProjectId(repo)}/statuses/${encodeURIComponent(sha)}`,
          body: { state: GITLAB_STATE[state], name: context, description: description.slice(0, 255), ...(targetUrl ? { target_url: targetUrl } : {}) },
          subject: `commit ${sha.slice(0, 12)} of ${repo.path}`,
        },
        this.options,
      );
    } catch (e) {
      // Posting the state a status already has is refused ("Cannot transition status via :enqueue
      // from :pending"): the commit shows what we meant, so that is not a failure.
      if (e instanceof GitHostError && e.status === 400 && /Cannot transition status/i.test(e.message)) return;
      throw e;
    }
  }

  /** Notes oldest first, 100 a page, following X-Next-Page; system notes are GitLab's, never ours. */
  private async *notePages(path: string, subject: string): AsyncGenerator<HostComment[]> {
    let page: string | null = '1';
    for (let n = 0; page && n < MAX_PAGES; n++) {
      const res: { headers: Headers; body: GitLabNote[] } = await hostRequest<GitLabNote[]>(
        this.api,
        { method: 'GET', path: `${path}?sort=asc&order_by=created_at&per_page=100&page=${encodeURIComponent(page)}`, subject },
        this.options,
      );
      yield (res.body ?? []).filter((note) => !note.system);
      page = res.headers.get('x-next-page');
    }
  }
}
