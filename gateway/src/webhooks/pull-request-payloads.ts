import type { Provider } from './webhook-payloads';

/**
 * A pull/merge request event that a preview acts on, the same whichever host sent it. Mapped from
 * GitHub's `pull_request`, GitLab's `Merge Request Hook` and Gitea's (Forgejo's) `pull_request`
 * deliveries, as each host documents (and, for Gitea 1.26, sends) them.
 */
export interface PullRequestEvent {
  provider: Provider;
  number: number;
  title: string;
  /** opened (or reopened) → create the preview; updated → a new head commit; closed → tear it down. */
  action: 'opened' | 'updated' | 'closed';
  merged: boolean;
  headRef: string;
  headSha: string;
  baseRef: string;
  /** The base (target) repository's HTTP(S) clone URL: the one a project's services track. */
  repositoryUrl: string;
  /** Where the head commit lives; null when its fork has been deleted. */
  headRepositoryUrl: string | null;
  /** The head is in another repository (or its repository is gone): no secrets until approved. */
  fromFork: boolean;
  /** Login of the author (GitLab: of the user who acted, as its payload names the author by id only). */
  author: string;
  htmlUrl: string;
}

/** A delivery that claims to be a pull request event but lacks what Slipway reads from it. */
export class MalformedPullRequestPayload extends Error {
  override name = 'MalformedPullRequestPayload';
}

type Json = Record<string, unknown>;
const isObject = (v: unknown): v is Json => typeof v === 'object' && v !== null && !Array.isArray(v);

const described = (v: unknown) => (v === null ? 'null' : Array.isArray(v) ? 'a list' : typeof v === 'string' ? `the text "${v.slice(0, 40)}"` : `a ${typeof v}`);

/** Reads fields by dotted path; a missing or mistyped one throws, naming the payload and the path. */
const fieldsOf = (payload: string, body: Json) => {
  const at = (path: string) => path.split('.').reduce<unknown>((v, key) => (isObject(v) ? v[key] : undefined), body);
  const read = <T>(path: string, expected: string, ok: (v: unknown) => v is T): T => {
    const value = at(path);
    if (ok(value)) return value;
    if (value === undefined || value === null) throw new MalformedPullRequestPayload(`The ${payload} payload has no ${path}`);
    throw new MalformedPullRequestPayload(`The ${payload} payload's ${path} should be ${expected}, not ${described(value)}`);
  };
  return {
    at,
    text: (path: string) => read(path, 'a non-empty text', (v): v is string => typeof v === 'string' && v.length > 0),
    /** Titles may be empty on some hosts; still text. */
    anyText: (path: string) => read(path, 'a text', (v): v is string => typeof v === 'string'),
    number: (path: string) => read(path, 'a whole number above 0', (v): v is number => Number.isInteger(v) && (v as number) > 0),
    flag: (path: string) => read(path, 'true or false', (v): v is boolean => typeof v === 'boolean'),
    object: (path: string) => read(path, 'an object', isObject),
  };
};

/** GitHub and Gitea/Forgejo share this shape (Gitea's API mirrors GitHub's). */
const readGithubShaped = (provider: 'github' | 'gitea', payload: string, body: Json, action: PullRequestEvent['action']): PullRequestEvent => {
  const field = fieldsOf(payload, body);
  // A deleted fork leaves head.repo null: its commits are not the base repository's to trust.
  const forkDeleted = field.at('pull_request.head.repo') === null;
  if (!forkDeleted) field.object('pull_request.head.repo');
  const headRepositoryUrl = forkDeleted ? null : field.text('pull_request.head.repo.clone_url');
  const fromFork = forkDeleted || field.text('pull_request.head.repo.full_name') !== field.text('pull_request.base.repo.full_name');
  return {
    provider,
    number: field.number('pull_request.number'),
    title: field.anyText('pull_request.title'),
    action,
    merged: action === 'closed' ? field.flag('pull_request.merged') : false,
    headRef: field.text('pull_request.head.ref'),
    headSha: field.text('pull_request.head.sha'),
    baseRef: field.text('pull_request.base.ref'),
    repositoryUrl: field.text('pull_request.base.repo.clone_url'),
    headRepositoryUrl,
    fromFork,
    author: field.text('pull_request.user.login'),
    htmlUrl: field.text('pull_request.html_url'),
  };
};

type Action = PullRequestEvent['action'];
// Maps, not object literals: an action named "constructor" must not find a prototype member.
const githubActions = new Map<string, Action>([['opened', 'opened'], ['reopened', 'opened'], ['synchronize', 'updated'], ['closed', 'closed']]);
const giteaActions = new Map<string, Action>([['opened', 'opened'], ['reopened', 'opened'], ['synchronized', 'updated'], ['closed', 'closed']]);
const gitlabActions = new Map<string, Action>([['open', 'opened'], ['reopen', 'opened'], ['update', 'updated'], ['close', 'closed'], ['merge', 'closed']]);

const readGitlab = (payload: string, body: Json): PullRequestEvent | null => {
  const field = fieldsOf(payload, body);
  const gitlabAction = field.text('object_attributes.action');
  const oldrev = field.at('object_attributes.oldrev');
  // `update` without `oldrev` is a title, label or assignee edit: no new commit, nothing to redeploy.
  const newCommit = typeof oldrev === 'string' && oldrev.length > 0;
  const action = gitlabActions.get(gitlabAction);
  if (!action || (gitlabAction === 'update' && !newCommit)) return null; // approvals, edits
  const repositoryUrl = field.text('project.git_http_url');
  // A deleted source project leaves its id (and `source`) null: treated as a fork, like GitHub's.
  const sourceDeleted = field.at('object_attributes.source_project_id') === null;
  const fromFork = sourceDeleted || field.number('object_attributes.source_project_id') !== field.number('object_attributes.target_project_id');
  const source = field.at('object_attributes.source');
  const headRepositoryUrl = isObject(source) ? field.text('object_attributes.source.git_http_url') : fromFork ? null : repositoryUrl;
  return {
    provider: 'gitlab',
    number: field.number('object_attributes.iid'),
    title: field.anyText('object_attributes.title'),
    action,
    merged: gitlabAction === 'merge',
    headRef: field.text('object_attributes.source_branch'),
    headSha: field.text('object_attributes.last_commit.id'),
    baseRef: field.text('object_attributes.target_branch'),
    repositoryUrl,
    headRepositoryUrl,
    fromFork,
    author: field.text('user.username'),
    htmlUrl: field.text('object_attributes.url'),
  };
};

/**
 * The pull request event in a delivery, or null when it is not one a preview acts on (another
 * event; an edit, label or review of a pull request). `event` is the provider's event header
 * (X-GitHub-Event, X-Gitlab-Event, X-Gitea-Event or X-Forgejo-Event) or `eventName()`'s reading of it.
 * Throws MalformedPullRequestPayload, in words, when a pull request event lacks a field it needs.
 */
export const pullRequestOf = (provider: Provider, event: string, body: unknown): PullRequestEvent | null => {
  if (provider === 'gitlab' ? event !== 'Merge Request Hook' && event !== 'merge_request' : event !== 'pull_request') return null;
  const payload = { github: 'GitHub pull_request', gitlab: 'GitLab Merge Request Hook', gitea: 'Gitea pull_request' }[provider];
  if (!isObject(body)) throw new MalformedPullRequestPayload(`The ${payload} payload is not a JSON object`);
  if (provider === 'gitlab') return readGitlab(payload, body);
  const action = fieldsOf(payload, body).text('action');
  const mapped = (provider === 'github' ? githubActions : giteaActions).get(action);
  return mapped ? readGithubShaped(provider, payload, body, mapped) : null;
};
