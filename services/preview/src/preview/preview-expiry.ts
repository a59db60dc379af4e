import type { EventStore } from '@slipway/event-store';
import { newCommandMetadata } from '@slipway/messaging';
import { previews } from './preview.aggregate';

/** Every preview ever requested (of one project, or all), by id. */
export const previewIds = async (store: EventStore, projectId?: string): Promise<string[]> => {
  const ids = new Set<string>();
  for (const e of await store.readAll({ context: 'preview', aggregate: 'preview' })) {
    if (e.type === 'PreviewRequested' && (!projectId || e.data.projectId === projectId)) ids.add(e.aggregateId);
  }
  return [...ids];
};

/**
 * The expiry sweep: each live preview idle past its expiry is expired (PreviewExpired, then the
 * teardown's PreviewDestroyRequested). Answers the ids expired.
 */
export const expireIdlePreviews = async (store: EventStore, now: Date): Promise<string[]> => {
  const expired: string[] = [];
  for (const previewId of await previewIds(store)) {
    const { state } = await previews.load(store, previewId);
    if ((state.status === 'running' || state.status === 'waiting') && Date.parse(state.expiresAt) <= now.getTime()) {
      const { events } = await previews.handle(store, previewId, { type: 'ExpirePreview', data: { previewId }, now: now.toISOString() }, newCommandMetadata({ kind: 'service', id: 'preview' }));
      if (events.length) expired.push(previewId);
    }
  }
  return expired;
};
