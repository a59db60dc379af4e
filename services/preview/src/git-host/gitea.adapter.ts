import { GitHubLikeClient } from './github-like.client';
import type { HostApi, HostRequestOptions } from './host-request';

/** Gitea's (and Forgejo's) API lives at <web base>/api/v1. */
export const giteaApiBase = (webBase: string): string => `${webBase}/api/v1`;

/** Gitea's REST API (v1): pull requests share the issue comments; commit statuses. */
export class GiteaClient extends GitHubLikeClient {
  readonly provider = 'gitea' as const;
  protected readonly api: HostApi;

  constructor(token: string, apiBaseUrl: string, options: HostRequestOptions = {}) {
    super(options);
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
}
