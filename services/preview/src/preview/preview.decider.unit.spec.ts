import { deciderSpec } from '@slipway/testing';
import { previewDecider, type PreviewEvent } from './preview.decider';

const request = {
  previewId: 'p_1-pr-7',
  projectId: 'p_1',
  slug: 'pr-7',
  number: 7,
  title: 'New greeting',
  provider: 'gitea' as const,
  htmlUrl: 'http://127.0.0.1:3300/acme/shop/pulls/7',
  repositoryUrl: 'http://127.0.0.1:3300/acme/shop.git',
  headRef: 'feature',
  headSha: 'aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa',
  fromFork: false,
  approvalNeeded: false,
};
const now = '2026-11-30T08:00:00.000Z';
const requested: PreviewEvent = { type: 'PreviewRequested', data: { ...request, requestedAt: now, expiresAt: '2026-12-07T08:00:00.000Z' } };
const open = (overrides: Partial<typeof request> = {}, manual = false) => ({ type: 'OpenPreview' as const, data: { ...request, ...overrides, idleDays: 7, manual }, now });
const { given } = deciderSpec(previewDecider);

describe('preview', () => {
  it('opens once per pull request, expiring after the idle days; a repeated delivery adds nothing', () => {
    given([]).when(open()).then([requested]);
    given([requested]).when(open()).then([]);
  });

  it('refuses a second manual preview of a running branch', () => {
    given([requested]).when(open({}, true)).thenThrows(/runs already/);
  });

  it('a new head moves it and pushes the expiry; the same head again does nothing', () => {
    const later = '2026-12-01T08:00:00.000Z';
    given([requested])
      .when({ type: 'MoveHead', data: { previewId: request.previewId, headSha: 'b'.repeat(40), idleDays: 7 }, now: later })
      .then([{ type: 'PreviewHeadMoved', data: { previewId: request.previewId, headSha: 'b'.repeat(40), movedAt: later, expiresAt: '2026-12-08T08:00:00.000Z' } }]);
    given([requested]).when({ type: 'MoveHead', data: { previewId: request.previewId, headSha: request.headSha, idleDays: 7 }, now: later }).then([]);
  });

  it("a fork's preview waits for a project admin; approving anything else is refused", () => {
    const fork: PreviewEvent = { type: 'PreviewRequested', data: { ...(requested.data as typeof requested.data), fromFork: true, approvalNeeded: true } };
    given([fork])
      .when({ type: 'ApprovePreview', data: { previewId: request.previewId, approvedBy: 'u_1', idleDays: 7 }, now })
      .then([{ type: 'PreviewApproved', data: { previewId: request.previewId, approvedBy: 'u_1', approvedAt: now, expiresAt: '2026-12-07T08:00:00.000Z' } }]);
    given([requested]).when({ type: 'ApprovePreview', data: { previewId: request.previewId, approvedBy: 'u_1', idleDays: 7 }, now }).thenThrows(/needs no approval/);
  });

  it('closing asks for the teardown once; it ends when deploy says everything went', () => {
    const destroy = { type: 'DestroyPreview' as const, data: { previewId: request.previewId, reason: 'merged' as const }, now };
    const asked: PreviewEvent = { type: 'PreviewDestroyRequested', data: { previewId: request.previewId, reason: 'merged', requestedAt: now } };
    given([requested]).when(destroy).then([asked]);
    given([requested, asked]).when(destroy).then([]);
    const removed = { services: ['shop-web-pr-7'], networks: ['slipway-shop-pr-7'], volumes: [], images: ['shop/web-pr-7'] };
    given([requested, asked])
      .when({ type: 'RecordDestroyed', data: { previewId: request.previewId, removed, destroyedAt: now } })
      .then([{ type: 'PreviewDestroyed', data: { previewId: request.previewId, removed, destroyedAt: now } }]);
    given([]).when(destroy).thenThrows(/No preview/);
  });

  it('expires only once idle past its expiry, with the teardown', () => {
    given([requested]).when({ type: 'ExpirePreview', data: { previewId: request.previewId }, now: '2026-12-06T08:00:00.000Z' }).then([]);
    const late = '2026-12-07T08:00:01.000Z';
    given([requested])
      .when({ type: 'ExpirePreview', data: { previewId: request.previewId }, now: late })
      .then([
        { type: 'PreviewExpired', data: { previewId: request.previewId, idleSince: now, expiredAt: late } },
        { type: 'PreviewDestroyRequested', data: { previewId: request.previewId, reason: 'expired', requestedAt: late } },
      ]);
  });

  it('a reopened pull request opens it again after its teardown', () => {
    const asked: PreviewEvent = { type: 'PreviewDestroyRequested', data: { previewId: request.previewId, reason: 'closed', requestedAt: now } };
    const later = '2026-12-02T08:00:00.000Z';
    given([requested, asked]).when({ ...open(), now: later }).then([{ type: 'PreviewRequested', data: { ...request, requestedAt: later, expiresAt: '2026-12-09T08:00:00.000Z' } }]);
  });
});
