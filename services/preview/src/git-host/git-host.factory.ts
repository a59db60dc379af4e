import type { GitHostClient, GitHostProvider, GitRepo } from './git-host.client';
import { GiteaClient, giteaApiBase } from './gitea.adapter';
import { GitHubClient, githubApiBase } from './github.adapter';
import { GitLabClient, gitlabApiBase } from './gitlab.adapter';
import type { HostRequestOptions } from './host-request';
import { parseRepoUrl } from './repo-url';

export interface GitHostSource {
  provider: GitHostProvider;
  /** The service's https clone URL: it names the host and the repository. */
  cloneUrl: string;
  /** The git source's token, in clear for the length of the calls. */
  token: string;
  /** Overrides the API base derived from the host (GitLab under a relative URL root; tests). */
  apiBaseUrl?: string;
}

/** The client for a service's git source and the repository it posts to. */
export const gitHostFor = (source: GitHostSource, options?: HostRequestOptions): { client: GitHostClient; repo: GitRepo } => {
  const repo = parseRepoUrl(source.cloneUrl, source.provider);
  return { client: createGitHostClient(source.provider, source.apiBaseUrl ?? apiBaseFor(source.provider, repo.webBase), source.token, options), repo };
};

export const apiBaseFor = (provider: GitHostProvider, webBase: string): string => {
  switch (provider) {
    case 'github':
      return githubApiBase(webBase);
    case 'gitlab':
      return gitlabApiBase(webBase);
    case 'gitea':
      return giteaApiBase(webBase);
    default:
      return unknownProvider(provider);
  }
};

export const createGitHostClient = (provider: GitHostProvider, apiBaseUrl: string, token: string, options?: HostRequestOptions): GitHostClient => {
  switch (provider) {
    case 'github':
      return new GitHubClient(token, apiBaseUrl, options);
    case 'gitlab':
      return new GitLabClient(token, apiBaseUrl, options);
    case 'gitea':
      return new GiteaClient(token, apiBaseUrl, options);
    default:
      return unknownProvider(provider);
  }
};

const unknownProvider = (provider: never): never => {
  throw new Error(`Unknown git host provider "${String(provider)}": expected github, gitlab or gitea`);
};
