import type { StoredEvent } from '@slipway/event-store';
import { previewsProjection, type PreviewView } from '../previews/previews.projection';
import { nextDocument, type StoredDocument } from './projection';
import { interleave } from './projection-rebuild';

let seq = 0;
const event = (type: string, occurredAt: string, data: Record<string, unknown>, aggregate = 'preview'): StoredEvent => ({
  id: `e${++seq}`,
  type,
  version: 1,
  aggregateId: 'p_1-pr-2',
  occurredAt,
  correlationId: 'c',
  causationId: 'c',
  actor: { kind: 'user', id: 'u_ann' },
  data: { previewId: 'p_1-pr-2', ...data },
  stream: { context: 'preview', aggregate, id: 'p_1-pr-2' },
  streamVersion: seq,
  batchIndex: 0,
});

// The order one preview's events were appended in (from a rehearsal's stream): the comment poster
// stamped its failure 5 ms before the destroy request that was appended ahead of it.
const requested = event('PreviewRequested', '2026-11-30T20:37:14.110Z', {
  projectId: 'p_1', slug: 'pr-2', number: 2, title: 'Update the README', headRef: 'changes', headSha: 'abc', approvalNeeded: false,
  htmlUrl: 'https://git.test/o/r/pull/2', fromFork: false, requestedAt: '2026-11-30T20:37:14.110Z', expiresAt: '2026-12-07T20:37:14.110Z',
});
const destroyRequested = event('PreviewDestroyRequested', '2026-11-30T20:37:15.377Z', { reason: 'closed' });
const commentFailed = event('PreviewCommentFailed', '2026-11-30T20:37:15.372Z', { reason: 'no token' });
const destroyed = event('PreviewDestroyed', '2026-11-30T20:37:15.739Z', {});

const fold = (events: StoredEvent[]) =>
  events.reduce<(StoredDocument & Record<string, unknown>) | null>((doc, e) => nextDocument(previewsProjection, 'p_1-pr-2', doc, e) ?? doc, null) as unknown as PreviewView;

describe('a rebuild interleaves its sources by time and keeps each source in its own order', () => {
  it("keeps one stream's order when its times run backwards, so no event is dropped as already applied", () => {
    const stream = [requested, destroyRequested, commentFailed, destroyed];
    expect(interleave([stream])).toEqual(stream);
    const rebuilt = fold(interleave([stream]));
    expect(rebuilt).toMatchObject({ phase: 'DESTROYED', reason: 'closed', commentError: 'no token' });
    // What sorting by time did: the comment first, then the destroy request refused by the position check.
    const sorted = [...stream].sort((a, b) => a.occurredAt.localeCompare(b.occurredAt));
    expect(fold(sorted)).toMatchObject({ phase: 'DESTROYED', reason: null });
  });

  it('merges several sources by time, each one in its own order', () => {
    const a = [event('A1', '2026-11-30T10:00:00.000Z', {}), event('A2', '2026-11-30T10:00:05.000Z', {}), event('A3', '2026-11-30T10:00:01.000Z', {})];
    const b = [event('B1', '2026-11-30T10:00:02.000Z', {}, 'settings'), event('B2', '2026-11-30T10:00:06.000Z', {}, 'settings')];
    expect(interleave([a, b]).map((e) => e.type)).toEqual(['A1', 'B1', 'A2', 'A3', 'B2']);
    expect(interleave([[], b]).map((e) => e.type)).toEqual(['B1', 'B2']);
    expect(interleave([])).toEqual([]);
  });
});
