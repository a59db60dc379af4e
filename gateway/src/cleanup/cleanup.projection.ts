import type { CleanupItem, CleanupPart } from '@slipway/proto';
import type { Projection } from '../read-models/projection';

export type CleanupRunItem = CleanupItem & { part: CleanupPart };

/** One clean-up run as the console and the API show it: what went (or would), with its reason and size. */
export interface CleanupRunView {
  id: string;
  dryRun: boolean;
  trigger: 'manual' | 'schedule';
  status: 'RUNNING' | 'FINISHED' | 'FAILED';
  keepDeployments: number;
  startedAt: string;
  deadline: string;
  finishedAt: string | null;
  /** Parts that reported so far (deploy, routing, build). */
  parts: CleanupPart[];
  items: CleanupRunItem[];
  notes: string[];
  reclaimedBytes: number;
  reason: string | null;
}

const sameItem = (a: CleanupRunItem, b: CleanupRunItem) => a.part === b.part && a.kind === b.kind && a.name === b.name;
const total = (items: CleanupRunItem[]) => items.reduce((n, i) => n + i.bytes, 0);

/** A document per run, from the run's own stream (platform.deploy.events.cleanup.<runId>). */
export const cleanupRunsProjection: Projection<CleanupRunView> = {
  name: 'cleanup-runs-view',
  collection: 'cleanup_runs',
  sources: [{ context: 'deploy', aggregate: 'cleanup' }],
  types: ['CleanupStarted', 'CleanupItemRemoved', 'CleanupPartReported', 'CleanupFinished', 'CleanupFailed'],
  documentId: (e) => e.aggregateId,
  evolve: (view, e) => {
    const d = e.data as Record<string, never>;
    if (e.type === 'CleanupStarted') {
      return {
        id: e.aggregateId,
        dryRun: d.dryRun,
        trigger: d.trigger,
        status: 'RUNNING',
        keepDeployments: d.keepDeployments,
        startedAt: d.startedAt,
        deadline: d.deadline,
        finishedAt: null,
        parts: [],
        items: [],
        notes: [],
        reclaimedBytes: 0,
        reason: null,
      };
    }
    if (!view) return null;
    switch (e.type) {
      case 'CleanupItemRemoved': {
        const { runId: _runId, ...item } = e.data as CleanupRunItem & { runId: string };
        const items = view.items.some((i) => sameItem(i, item)) ? view.items : [...view.items, item];
        return { ...view, items, reclaimedBytes: total(items) };
      }
      case 'CleanupPartReported': {
        const part = d.part as CleanupPart;
        const items = [...view.items.filter((i) => i.part !== part), ...(d.items as CleanupItem[]).map((i) => ({ ...i, part }))];
        const notes = [...view.notes, ...(d.notes as string[]).map((n) => `${part}: ${n}`), ...(d.error ? [`${part}: ${d.error}`] : [])];
        return { ...view, parts: [...view.parts.filter((p) => p !== part), part], items, notes, reclaimedBytes: total(items) };
      }
      case 'CleanupFinished':
        return { ...view, status: 'FINISHED', finishedAt: d.finishedAt, reclaimedBytes: d.reclaimedBytes };
      case 'CleanupFailed':
        return { ...view, status: 'FAILED', finishedAt: d.finishedAt, reason: d.reason };
      default:
        return null;
    }
  },
};
