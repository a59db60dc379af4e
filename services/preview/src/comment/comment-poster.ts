import { deriveEventId, type EventStore } from '@slipway/event-store';
import type { CommandMetadata, SealedSecret } from '@slipway/proto';
import { previews } from '../preview/preview.aggregate';
import type { PreviewState } from '../preview/preview.decider';
import { GitHostError, previewMarker } from '../git-host/git-host.client';
import { gitHostFor, type GitHostSource } from '../git-host/git-host.factory';
import { commentDigest, commitStateOf, renderPreviewComment, type PreviewCommentView } from './preview-comment.renderer';
import { latestPerService, type ServiceDeployment } from './preview-deployments';
import { commentTokenFor, loadServiceSources } from './service-sources';

/** The commit status's name on the head commit. */
export const STATUS_CONTEXT = 'slipway/preview';

export type CommentOutcome = 'posted' | 'unchanged' | 'failed' | 'no-comment';

export interface CommentPosterDeps {
  store: EventStore;
  /** Opens a secret sealed for the preview service (SecretOpener.forService('preview')). */
  openToken: (sealed: SealedSecret) => string;
  /** The deployments of a preview's copies (PreviewDeploymentIndex). */
  deploymentsOf: (previewId: string) => Promise<ServiceDeployment[]>;
  /** The host client for a git source; tests point it at their own Gitea. */
  hostFor?: typeof gitHostFor;
  /** Overrides the API base (a Gitea or GitLab under a sub-path). */
  apiBaseUrl?: GitHostSource['apiBaseUrl'];
}

type Known = Exclude<PreviewState, { status: 'none' }>;

/** The view the comment renders, from the preview's state and its copies' deployments. */
export const commentViewOf = (state: Known, deployments: ServiceDeployment[]): PreviewCommentView => ({
  status: state.status,
  headSha: state.headSha,
  ...(state.reason ? { reason: state.reason } : {}),
  services: latestPerService(deployments, state.request.requestedAt),
});

/** A host's error in its own words (never a stack, never the token). */
const hostWords = (err: unknown): string => {
  const words = err instanceof GitHostError ? err.message : `The git host could not be reached: ${err instanceof Error ? err.message : String(err)}`;
  return words.slice(0, 500);
};

/**
 * Renders a pull request's preview comment and writes it when it changed (one comment, edited in
 * place), sets the head commit's status, and records either on the preview. Manual previews (no
 * pull request) get none.
 */
export class PreviewCommentPoster {
  constructor(private readonly deps: CommentPosterDeps) {}

  async post(previewId: string, metadata: CommandMetadata): Promise<CommentOutcome> {
    const { store } = this.deps;
    const { state } = await previews.load(store, previewId);
    if (state.status === 'none' || state.request.number === null || state.request.provider === null) return 'no-comment';
    const view = commentViewOf(state, await this.deps.deploymentsOf(previewId));
    const body = renderPreviewComment(view);
    const digest = commentDigest(body);
    if (digest === state.commentDigest) return 'unchanged';

    const fail = async (reason: string): Promise<CommentOutcome> => {
      // Its own command id: a redelivery that then succeeds must not be taken for this one.
      const failed = { ...metadata, commandId: deriveEventId(`${metadata.commandId}/comment-failed`, 0) };
      await previews.handle(store, previewId, { type: 'RecordCommentFailure', data: { previewId, reason, failedAt: metadata.now } }, failed);
      return 'failed';
    };
    const token = commentTokenFor(await loadServiceSources(store, state.request.projectId), state.request.repositoryUrl);
    if (token.kind === 'missing') return fail(token.reason);
    let clear: string;
    try {
      clear = this.deps.openToken(token.previewToken);
    } catch {
      return fail(`Slipway cannot open the token of ${token.serviceName}'s git source: set it again`);
    }
    let commentId: number;
    try {
      const hostFor = this.deps.hostFor ?? gitHostFor;
      // The preview's repository is the one the pull request is on (the service's clone URL may differ in form only).
      const { client, repo } = hostFor({ provider: state.request.provider, cloneUrl: state.request.repositoryUrl, token: clear, apiBaseUrl: this.deps.apiBaseUrl });
      commentId = await client.upsertComment({ repo, number: state.request.number, marker: previewMarker(state.request.projectId), body });
      const commit = commitStateOf(view);
      if (commit && state.headSha) await client.setCommitStatus({ repo, sha: state.headSha, context: STATUS_CONTEXT, ...commit });
    } catch (err) {
      return fail(hostWords(err));
    }
    const headSha = state.headSha ?? state.request.headRef;
    await previews.handle(store, previewId, { type: 'RecordComment', data: { previewId, commentId: String(commentId), headSha, digest, postedAt: metadata.now } }, metadata);
    return 'posted';
  }
}
