import type { StoredEvent } from '@slipway/event-store';
import type { ComposeReconciled, EventData } from '@slipway/proto';
import type { Projection } from '../read-models/projection';

/** A project's Compose file and what its last reading did (one document per project). */
export interface ComposeImportView {
  id: string;
  projectId: string;
  url: string;
  ref: string;
  path: string;
  commit: string;
  readAt: string;
  added: string[];
  changed: { service: string; fields: string[] }[];
  removed: string[];
  warnings: string[];
}

export const composeImportsProjection: Projection<ComposeImportView> = {
  name: 'compose-imports-view',
  collection: 'compose_imports',
  sources: [{ context: 'project', aggregate: 'compose' }],
  types: ['ComposeReconciled'],
  documentId: (e: StoredEvent) => String(e.data.projectId),
  evolve: (_, e) => {
    const data = e.data as EventData<typeof ComposeReconciled>;
    return {
      id: data.projectId,
      projectId: data.projectId,
      url: data.origin.source.url,
      ref: data.origin.source.ref,
      path: data.origin.path,
      commit: data.commit,
      readAt: e.occurredAt,
      added: data.added,
      changed: data.changed.map((c) => ({ service: c.name, fields: c.fields })),
      removed: data.removed.map((r) => r.name),
      warnings: data.warnings,
    };
  },
};
