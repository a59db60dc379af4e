/**
 * What a git host's webhook means to Slipway, whichever host sent it: a push to a branch, a
 * pull/merge request event, a ping, or something to ignore. Shapes from GitHub's, GitLab's and
 * Gitea's (Forgejo's) documented payloads.
 */
export type Provider = 'github' | 'gitlab' | 'gitea';

export type WebhookIntent =
  | { kind: 'push'; repositoryUrls: string[]; branch: string | null; commitSha: string }
  | { kind: 'pull-request'; repositoryUrls: string[]; number: number; action: string; headRef: string; headSha: string }
  | { kind: 'ping' }
  | { kind: 'ignored'; event: string; repositoryUrls: string[] };

type Json = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any

const urls = (...candidates: unknown[]) => candidates.filter((u): u is string => typeof u === 'string' && u.length > 0);
const branchOf = (ref: unknown) => (typeof ref === 'string' && ref.startsWith('refs/heads/') ? ref.slice('refs/heads/'.length) : null);

/** The event name a provider puts in its header (GitLab's "Push Hook" becomes "push"). */
export const eventName = (provider: Provider, headers: Record<string, string | string[] | undefined>): string => {
  const header = (name: string) => String(headers[name] ?? '');
  if (provider === 'github') return header('x-github-event');
  if (provider === 'gitea') return header('x-gitea-event') || header('x-forgejo-event');
  return ({ 'Push Hook': 'push', 'Merge Request Hook': 'merge_request', 'System Hook': 'system' } as Record<string, string>)[header('x-gitlab-event')] ?? header('x-gitlab-event');
};

/** Where each host puts a delivery's id (as its documentation spells the header), and the host's name. */
const deliveryHeaders: Record<Provider, [header: string, host: string]> = {
  github: ['The X-GitHub-Delivery header', 'GitHub'],
  gitlab: ['The X-Gitlab-Event-UUID header (or Idempotency-Key)', 'GitLab'],
  gitea: ['The X-Gitea-Delivery header (or X-Forgejo-Delivery)', 'Gitea and Forgejo'],
};

/** Without its id a delivery could be acted on twice (a redelivery, a replay): it is refused, in these words. */
export const missingDeliveryId = (provider: Provider): string => {
  const [header, host] = deliveryHeaders[provider];
  return `${header} is missing: Slipway acts on each delivery once, by its id. Deliveries from ${host} always carry it; check that nothing between the git host and Slipway drops it`;
};

export const deliveryId = (provider: Provider, headers: Record<string, string | string[] | undefined>): string | undefined => {
  const value =
    provider === 'github'
      ? headers['x-github-delivery']
      : provider === 'gitea'
        ? (headers['x-gitea-delivery'] ?? headers['x-forgejo-delivery'])
        : (headers['x-gitlab-event-uuid'] ?? headers['idempotency-key']);
  return typeof value === 'string' && value ? value : undefined;
};

export const readIntent = (provider: Provider, event: string, body: Json): WebhookIntent => {
  if (provider === 'gitlab') {
    const project = body.project ?? {};
    const repositoryUrls = urls(project.git_http_url, project.git_ssh_url, project.web_url, body.repository?.git_http_url);
    if (event === 'push') return { kind: 'push', repositoryUrls, branch: branchOf(body.ref), commitSha: String(body.checkout_sha ?? body.after) };
    if (event === 'merge_request') {
      const mr = body.object_attributes ?? {};
      return { kind: 'pull-request', repositoryUrls, number: Number(mr.iid), action: String(mr.action ?? mr.state), headRef: String(mr.source_branch), headSha: String(mr.last_commit?.id) };
    }
    return { kind: 'ignored', event, repositoryUrls };
  }
  // GitHub and Gitea/Forgejo share their push and pull_request shapes.
  if (event === 'ping') return { kind: 'ping' };
  const repo = body.repository ?? {};
  const repositoryUrls = urls(repo.clone_url, repo.ssh_url, repo.html_url, repo.git_url);
  if (event === 'push') return { kind: 'push', repositoryUrls, branch: branchOf(body.ref), commitSha: String(body.after) };
  if (event === 'pull_request') {
    const pr = body.pull_request ?? {};
    return { kind: 'pull-request', repositoryUrls, number: Number(body.number ?? pr.number), action: String(body.action), headRef: String(pr.head?.ref), headSha: String(pr.head?.sha) };
  }
  // Still verified against the repository's project: a forged "ignored" event is refused too.
  return { kind: 'ignored', event, repositoryUrls };
};

export { normalizeRepositoryUrl } from '@slipway/proto';
