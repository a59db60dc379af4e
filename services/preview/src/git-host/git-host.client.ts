/** The git hosts a preview can report to. */
export type GitHostProvider = 'github' | 'gitlab' | 'gitea';

/**
 * A repository as its host's API names it, parsed from the clone URL (repo-url.ts).
 * `path` is `owner/name` on GitHub and Gitea, the full project path (nested groups) on GitLab.
 */
export interface GitRepo {
  /** scheme://host[:port] and, for a host served under a sub-path, that path: where the web UI lives. */
  webBase: string;
  owner: string;
  name: string;
  path: string;
}

export type CommitState = 'pending' | 'success' | 'failure' | 'error';

export interface UpsertComment {
  repo: GitRepo;
  /** The pull (GitHub, Gitea) or merge request (GitLab, its iid) number. */
  number: number;
  /** A hidden HTML comment that identifies our comment, e.g. previewMarker(projectId). */
  marker: string;
  /** Markdown; the marker is added in front when it is not already in it. */
  body: string;
}

export interface CommitStatus {
  repo: GitRepo;
  sha: string;
  state: CommitState;
  /** The status's name on the commit ("slipway/preview"); one status per context. */
  context: string;
  description: string;
  targetUrl?: string;
}

/**
 * What a preview needs from a git host: one comment per pull request, edited in place, and a
 * status on the head commit. Implementations: github.adapter.ts, gitlab.adapter.ts, gitea.adapter.ts.
 */
export interface GitHostClient {
  readonly provider: GitHostProvider;
  /** Edits the comment carrying `marker` (following every page of comments), or creates it; returns its id. */
  upsertComment(comment: UpsertComment): Promise<number>;
  setCommitStatus(status: CommitStatus): Promise<void>;
}

/** The marker of a project's preview comment: invisible in the rendered markdown. */
export const previewMarker = (projectId: string): string => {
  if (!/^[A-Za-z0-9_-]+$/.test(projectId)) throw new Error(`Invalid project id "${projectId}" for a preview marker`);
  return `<!-- slipway-preview:${projectId} -->`;
};

export const withMarker = (marker: string, body: string): string => {
  if (!/^<!-- [^\n]*? -->$/.test(marker) || marker.slice(5, -4).includes('--')) {
    throw new Error(`The comment marker must be one HTML comment such as "<!-- slipway-preview:id -->", got "${marker}"`);
  }
  return body.includes(marker) ? body : `${marker}\n${body}`;
};

/**
 * A git host refused or failed a request. The message says what to do, in the user's words; it
 * never holds the token.
 */
export class GitHostError extends Error {
  override readonly name = 'GitHostError';

  constructor(
    message: string,
    readonly provider: GitHostProvider,
    /** The HTTP status, when the host answered. */
    readonly status?: number,
  ) {
    super(message);
  }
}
