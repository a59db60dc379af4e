import type { StoredEvent } from '@slipway/event-store';
import { DefaultQuotaSet, payloadOf, quotaUsage, QuotaSet, ResourcesReleased, ResourcesReserved, type QuotaHolding, type QuotaLimits, type Resources } from '@slipway/proto';
import type { Projection } from '../read-models/projection';

type Holding = QuotaHolding;
/** A project's limits (absent: the instance's defaults) and what its services hold; document "default": the defaults. */
export interface QuotaView {
  id: string;
  limits?: QuotaLimits;
  held: Record<string, Holding>;
}

const holdingOf = (r: Resources, previewId?: string): Holding => ({ cpu: r.cpu, memoryMb: r.memoryMb, replicas: r.replicas, ...(previewId ? { previewId } : {}) });

/** The quota service's events, folded as its decider folds them (services/quota/src/quota/quota.decider.ts). */
export const quotaProjection: Projection<QuotaView> = {
  name: 'quota-view',
  collection: 'quotas',
  // One source per context: its consumer is named by the context (gateway-quota-view-quota).
  sources: [{ context: 'quota' }],
  types: ['QuotaSet', 'DefaultQuotaSet', 'ResourcesReserved', 'ResourcesReleased'],
  documentId: (e: StoredEvent) => (e.type === 'DefaultQuotaSet' ? 'default' : e.aggregateId),
  evolve: (current, e) => {
    const doc: QuotaView = current ?? { id: e.type === 'DefaultQuotaSet' ? 'default' : e.aggregateId, held: {} };
    switch (e.type) {
      case 'QuotaSet':
        return { ...doc, limits: payloadOf(QuotaSet, e).limits };
      case 'DefaultQuotaSet':
        return { ...doc, limits: payloadOf(DefaultQuotaSet, e).limits };
      case 'ResourcesReserved': {
        const d = payloadOf(ResourcesReserved, e);
        return { ...doc, held: { ...doc.held, [d.holder]: holdingOf(d.resources, d.previewId) } };
      }
      case 'ResourcesReleased': {
        const d = payloadOf(ResourcesReleased, e);
        const held = { ...doc.held };
        const before = held[d.holder];
        if (d.reason === 'stopped' && before) held[d.holder] = { ...before, stopped: true };
        else if (d.restored) held[d.holder] = holdingOf(d.restored, before?.previewId);
        else delete held[d.holder];
        return { ...doc, held };
      }
      default:
        return doc;
    }
  },
};

/** The project's use, rounded for people (quotaUsage in proto, as the quota service counts it). */
export const usedBy = (held: Record<string, Holding>) => {
  const used = quotaUsage(held);
  return { cpu: Math.round(used.cpu * 100) / 100, memoryMb: used.memoryMb, replicas: used.replicas, previews: used.previews.size };
};
