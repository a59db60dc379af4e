import { GitHubLikeClient } from './github-like.client';
import type { HostApi, HostRequestOptions } from './host-request';

export { repoPath, shortDescription } from './github-like.client';

/** github.com's API, or a GitHub Enterprise Server's at <host>/api/v3. */
export const githubApiBase = (webBase: string): string =>
  new URL(webBase).host === 'github.com' ? 'https://api.github.com' : `${webBase}/api/v3`;

/** GitHub's REST API (v3, version 2022-11-28): issue comments on pull requests, commit statuses. */
export class GitHubClient extends GitHubLikeClient {
  readonly provider = 'github' as const;
  protected readonly api: HostApi;
  protected override readonly commentsQuery = '?per_page=100';

  constructor(token: string, apiBaseUrl: string, options: HostRequestOptions = {}) {
    super(options);
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
}
