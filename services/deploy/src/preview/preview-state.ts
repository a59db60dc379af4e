import type { EventStore, StoredEvent } from '@slipway/event-store';
import type { PreviewTarget } from './preview-plan';

/** A preview as deploy sees it, folded from the preview service's stream preview/preview/<id>. */
export interface PreviewView extends PreviewTarget {
  /** From a fork and not approved yet: nothing runs. */
  waiting: boolean;
  /** Closed, merged, expired or destroyed: nothing more runs, and what ran goes. */
  destroying: boolean;
  /** Whether the whole project was ever asked to deploy (a new head redeploys only its services then). */
  started: boolean;
  /** The PreviewRequested it follows: a reopened pull request is a new generation, deployed anew. */
  generation: string;
  /** Every `<generation>@<ref>` its deployments were derived from (the ids follow from these and the service ids). */
  causes: string[];
}

const withCause = (view: PreviewView): PreviewView => {
  const cause = `${view.previewId}/${view.generation}@${view.ref}`;
  return view.causes.includes(cause) ? view : { ...view, causes: [...view.causes, cause] };
};

export const evolvePreview = (view: PreviewView | undefined, event: StoredEvent): PreviewView | undefined => {
  const data = event.data as Record<string, never>;
  if (event.type === 'PreviewRequested') {
    return withCause({
      previewId: data.previewId,
      projectId: data.projectId,
      slug: data.slug,
      repositoryUrl: data.repositoryUrl,
      ref: data.headSha ?? data.headRef,
      waiting: data.approvalNeeded,
      destroying: false,
      started: !data.approvalNeeded,
      generation: event.id,
      causes: view?.causes ?? [],
    });
  }
  if (!view) return view;
  switch (event.type) {
    case 'PreviewApproved':
      return { ...view, waiting: false, started: true };
    case 'PreviewHeadMoved':
      return withCause({ ...view, ref: data.headSha });
    case 'PreviewDestroyRequested':
      return { ...view, destroying: true };
    default:
      return view;
  }
};

export const loadPreview = async (store: EventStore, previewId: string): Promise<PreviewView | undefined> =>
  (await store.read({ context: 'preview', aggregate: 'preview', id: previewId })).events.reduce<PreviewView | undefined>(evolvePreview, undefined);
