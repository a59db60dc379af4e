import type { StoredEvent } from '@slipway/event-store';
import type { EventData, PreviewDestroyRequested, PreviewRequested, PreviewSettingsChanged } from '@slipway/proto';
import { PREVIEW_DEFAULTS } from '@slipway/proto';
import type { Projection } from '../read-models/projection';

/** Where a preview is in its life; DEPLOYING, RUNNING and FAILED come from its deployments (preview-status.ts). */
export type PreviewPhase = 'WAITING_FOR_APPROVAL' | 'LIVE' | 'DESTROYING' | 'DESTROYED';

/** One preview environment (document id: the preview id, `<projectId>-pr-12` or `<projectId>-br-<branch>`). */
export interface PreviewView {
  id: string;
  projectId: string;
  slug: string;
  number: number | null;
  title: string;
  ref: string;
  headSha: string | null;
  phase: PreviewPhase;
  htmlUrl: string | null;
  fromFork: boolean;
  reason: EventData<typeof PreviewDestroyRequested>['reason'] | null;
  /** The last request (a reopened pull request starts again): deployments before it belong to an earlier life. */
  createdAt: string;
  expiresAt: string;
  commentError: string | null;
}

export const previewsProjection: Projection<PreviewView> = {
  name: 'previews-view',
  collection: 'previews',
  sources: [{ context: 'preview', aggregate: 'preview' }],
  types: [
    'PreviewRequested',
    'PreviewHeadMoved',
    'PreviewApproved',
    'PreviewExpired',
    'PreviewDestroyRequested',
    'PreviewDestroyed',
    'PreviewCommentPosted',
    'PreviewCommentFailed',
  ],
  documentId: (e: StoredEvent) => String(e.data.previewId),
  evolve: (view, e) => {
    const d = e.data as Record<string, unknown>;
    if (e.type === 'PreviewRequested') {
      const r = d as EventData<typeof PreviewRequested>;
      return {
        id: r.previewId,
        projectId: r.projectId,
        slug: r.slug,
        number: r.number,
        title: r.title,
        ref: r.headRef,
        headSha: r.headSha,
        phase: r.approvalNeeded ? 'WAITING_FOR_APPROVAL' : 'LIVE',
        htmlUrl: r.htmlUrl,
        fromFork: r.fromFork,
        reason: null,
        createdAt: r.requestedAt,
        expiresAt: r.expiresAt,
        commentError: view?.commentError ?? null,
      };
    }
    if (!view) return null;
    switch (e.type) {
      case 'PreviewHeadMoved':
        return { ...view, headSha: String(d.headSha), title: d.title === undefined ? view.title : String(d.title), expiresAt: String(d.expiresAt) };
      case 'PreviewApproved':
        return { ...view, phase: 'LIVE', expiresAt: String(d.expiresAt) };
      case 'PreviewExpired':
        return { ...view, reason: 'expired' };
      case 'PreviewDestroyRequested':
        return { ...view, phase: 'DESTROYING', reason: d.reason as PreviewView['reason'] };
      case 'PreviewDestroyed':
        return { ...view, phase: 'DESTROYED' };
      case 'PreviewCommentPosted':
        return { ...view, commentError: null };
      case 'PreviewCommentFailed':
        return { ...view, commentError: String(d.reason) };
      default:
        return view;
    }
  },
};

export interface PreviewSettingsView {
  id: string;
  projectId: string;
  idleDays: number;
  maxRunning: number;
}

export const defaultPreviewSettings = (projectId: string): PreviewSettingsView => ({ id: projectId, projectId, ...PREVIEW_DEFAULTS });

export const previewSettingsProjection: Projection<PreviewSettingsView> = {
  name: 'preview-settings-view',
  collection: 'preview_settings',
  sources: [{ context: 'preview', aggregate: 'preview-settings' }],
  types: ['PreviewSettingsChanged'],
  documentId: (e: StoredEvent) => String(e.data.projectId),
  evolve: (_, e) => {
    const d = e.data as EventData<typeof PreviewSettingsChanged>;
    return { id: d.projectId, projectId: d.projectId, idleDays: d.idleDays, maxRunning: d.maxRunning };
  },
};
