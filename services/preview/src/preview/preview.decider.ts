import { assertNever, type Decider } from '@slipway/event-store';
import { DomainError } from '@slipway/messaging';
import type {
  EventData,
  PreviewApproved,
  PreviewCommentFailed,
  PreviewCommentPosted,
  PreviewDestroyed,
  PreviewDestroyRequested,
  PreviewExpired,
  PreviewHeadMoved,
  PreviewRequested,
} from '@slipway/proto';

type Data<D> = EventData<D>;
type Requested = Data<typeof PreviewRequested>;

export type PreviewCommand =
  /** A pull request opened or reopened, or createPreview. `idleDays`: the project's setting now. */
  | { type: 'OpenPreview'; data: Omit<Requested, 'expiresAt' | 'requestedAt'> & { idleDays: number; manual: boolean }; now: string }
  | { type: 'MoveHead'; data: { previewId: string; headSha: string; title?: string; idleDays: number }; now: string }
  | { type: 'ApprovePreview'; data: { previewId: string; approvedBy: string; idleDays: number }; now: string }
  | { type: 'DestroyPreview'; data: { previewId: string; reason: Data<typeof PreviewDestroyRequested>['reason'] }; now: string }
  /** The expiry sweep: torn down when idle past its expiry. */
  | { type: 'ExpirePreview'; data: { previewId: string }; now: string }
  | { type: 'RecordComment'; data: Data<typeof PreviewCommentPosted> }
  | { type: 'RecordCommentFailure'; data: Data<typeof PreviewCommentFailed> }
  | { type: 'RecordDestroyed'; data: Data<typeof PreviewDestroyed> };

export type PreviewEvent =
  | { type: 'PreviewRequested'; data: Requested }
  | { type: 'PreviewHeadMoved'; data: Data<typeof PreviewHeadMoved> }
  | { type: 'PreviewApproved'; data: Data<typeof PreviewApproved> }
  | { type: 'PreviewExpired'; data: Data<typeof PreviewExpired> }
  | { type: 'PreviewDestroyRequested'; data: Data<typeof PreviewDestroyRequested> }
  | { type: 'PreviewDestroyed'; data: Data<typeof PreviewDestroyed> }
  | { type: 'PreviewCommentPosted'; data: Data<typeof PreviewCommentPosted> }
  | { type: 'PreviewCommentFailed'; data: Data<typeof PreviewCommentFailed> };

/**
 * none → waiting (a fork's, until approved) | running → destroying (closed, merged, expired,
 * destroyed) → destroyed; a reopened pull request starts again from destroyed (or destroying).
 * `lastActivity`: the last request, push or approval; it expires `idleDays` after it.
 */
export type PreviewState =
  | { status: 'none'; commentId?: string }
  | {
      status: 'waiting' | 'running' | 'destroying' | 'destroyed';
      request: Requested;
      headSha: string | null;
      lastActivity: string;
      expiresAt: string;
      reason?: Data<typeof PreviewDestroyRequested>['reason'];
      /** The pull request's comment, edited in place: kept across reopenings. */
      commentId?: string;
      commentDigest?: string;
    };

const addDays = (iso: string, days: number) => new Date(Date.parse(iso) + days * 86_400_000).toISOString();
type Known = Exclude<PreviewState, { status: 'none' }>;
const live = (s: PreviewState): s is Known => s.status === 'waiting' || s.status === 'running';

const mustBeLive = (state: PreviewState, previewId: string) => {
  if (state.status === 'none') throw new DomainError('PREVIEW_NOT_FOUND', `No preview ${previewId}`, 'id');
  if (!live(state)) throw new DomainError('PREVIEW_CLOSED', `Preview ${previewId} was ${(state as Known).reason ?? 'closed'}: open the pull request again or create a new preview`, 'id');
  return state;
};

const decide = (command: PreviewCommand, state: PreviewState): PreviewEvent[] => {
  switch (command.type) {
    case 'OpenPreview': {
      const { idleDays, manual, ...request } = command.data;
      if (live(state)) {
        if (manual) throw new DomainError('PREVIEW_EXISTS', `A preview of ${request.headRef} runs already`, 'ref');
        return []; // a repeated "opened" delivery, or reopened while running
      }
      return [{ type: 'PreviewRequested', data: { ...request, requestedAt: command.now, expiresAt: addDays(command.now, idleDays) } }];
    }
    case 'MoveHead': {
      if (!live(state) || state.headSha === command.data.headSha) return [];
      const { idleDays, ...moved } = command.data;
      return [{ type: 'PreviewHeadMoved', data: { ...moved, movedAt: command.now, expiresAt: addDays(command.now, idleDays) } }];
    }
    case 'ApprovePreview': {
      const current = mustBeLive(state, command.data.previewId);
      if (current.status !== 'waiting') throw new DomainError('PREVIEW_NOT_WAITING', `Preview ${command.data.previewId} needs no approval: it is not from a fork, or was approved already`, 'id');
      const { idleDays, ...approved } = command.data;
      return [{ type: 'PreviewApproved', data: { ...approved, approvedAt: command.now, expiresAt: addDays(command.now, idleDays) } }];
    }
    case 'DestroyPreview':
      // Closing twice, or destroying a closed one, is done already (a retried command must not fail).
      if (state.status === 'none') throw new DomainError('PREVIEW_NOT_FOUND', `No preview ${command.data.previewId}`, 'id');
      return live(state) ? [{ type: 'PreviewDestroyRequested', data: { ...command.data, requestedAt: command.now } }] : [];
    case 'ExpirePreview':
      if (!live(state) || Date.parse(state.expiresAt) > Date.parse(command.now)) return [];
      return [
        { type: 'PreviewExpired', data: { previewId: command.data.previewId, idleSince: state.lastActivity, expiredAt: command.now } },
        { type: 'PreviewDestroyRequested', data: { previewId: command.data.previewId, reason: 'expired', requestedAt: command.now } },
      ];
    case 'RecordComment':
      return state.status !== 'none' && state.commentId === command.data.commentId && state.commentDigest === command.data.digest
        ? []
        : [{ type: 'PreviewCommentPosted', data: command.data }];
    case 'RecordCommentFailure':
      return [{ type: 'PreviewCommentFailed', data: command.data }];
    case 'RecordDestroyed':
      return state.status === 'destroying' ? [{ type: 'PreviewDestroyed', data: command.data }] : [];
    default:
      return assertNever(command);
  }
};

const evolve = (state: PreviewState, event: PreviewEvent): PreviewState => {
  if (event.type === 'PreviewRequested') {
    const { data } = event;
    return {
      status: data.approvalNeeded ? 'waiting' : 'running',
      request: data,
      headSha: data.headSha,
      lastActivity: data.requestedAt,
      expiresAt: data.expiresAt,
      commentId: state.commentId,
      commentDigest: undefined,
    };
  }
  if (event.type === 'PreviewCommentPosted') return { ...state, commentId: event.data.commentId, ...(state.status !== 'none' ? { commentDigest: event.data.digest } : {}) };
  if (state.status === 'none') return state;
  switch (event.type) {
    case 'PreviewHeadMoved':
      return { ...state, headSha: event.data.headSha, lastActivity: event.data.movedAt, expiresAt: event.data.expiresAt };
    case 'PreviewApproved':
      return { ...state, status: 'running', lastActivity: event.data.approvedAt, expiresAt: event.data.expiresAt };
    case 'PreviewDestroyRequested':
      return { ...state, status: 'destroying', reason: event.data.reason };
    case 'PreviewDestroyed':
      return { ...state, status: 'destroyed' };
    default:
      return state;
  }
};

/** One preview environment per pull request of a project (or per manual branch preview). */
export const previewDecider: Decider<PreviewCommand, PreviewEvent, PreviewState> = { initialState: { status: 'none' }, decide, evolve };
