import type { StoredEvent } from '@slipway/event-store';
import type { EnvEntry, ServiceSpec } from '@slipway/proto';
import type { Projection } from '../read-models/projection';

/** *_PREVIEW: applied to preview copies only, over their production level. */
export type EnvVarScope = 'GLOBAL' | 'PROJECT' | 'SERVICE' | 'PROJECT_PREVIEW' | 'SERVICE_PREVIEW';

/** A variable as people may see it: a secret's value is never here, not even sealed. */
export interface EnvVarView {
  key: string;
  value: string | null;
  secret: boolean;
  updatedAt: string;
}

/** The variables of one level: `global`, `project:<id>`, `service:<id>`, `project-preview:<id>` or `service-preview:<id>`. */
export interface EnvVarListView {
  id: string;
  scope: EnvVarScope;
  projectId: string | null;
  serviceId: string | null;
  vars: EnvVarView[];
}

export const envVarListId = (scope: EnvVarScope, ids: { projectId?: string | null; serviceId?: string | null }): string => {
  switch (scope) {
    case 'GLOBAL':
      return 'global';
    case 'PROJECT':
      return `project:${ids.projectId}`;
    case 'SERVICE':
      return `service:${ids.serviceId}`;
    case 'PROJECT_PREVIEW':
      return `project-preview:${ids.projectId}`;
    case 'SERVICE_PREVIEW':
      return `service-preview:${ids.serviceId}`;
  }
};

export const emptyEnvVarList = (scope: EnvVarScope, projectId: string | null, serviceId: string | null): EnvVarListView => ({
  id: envVarListId(scope, { projectId, serviceId }),
  scope,
  projectId,
  serviceId,
  vars: [],
});

const shown = (entry: EnvEntry, updatedAt: string): EnvVarView => ({
  key: entry.key,
  value: entry.secret ? null : entry.value,
  secret: entry.secret,
  updatedAt,
});

const sorted = (vars: EnvVarView[]) => [...vars].sort((a, b) => (a.key < b.key ? -1 : a.key > b.key ? 1 : 0));
const setVar = (list: EnvVarListView, entry: EnvEntry, at: string): EnvVarListView => ({
  ...list,
  vars: sorted([...list.vars.filter((v) => v.key !== entry.key), shown(entry, at)]),
});
const removeVar = (list: EnvVarListView, key: string): EnvVarListView => ({ ...list, vars: list.vars.filter((v) => v.key !== key) });

const scopeOf = (type: string): EnvVarScope => {
  const level = type.startsWith('Global') ? 'GLOBAL' : type.startsWith('Project') ? 'PROJECT' : 'SERVICE';
  return level !== 'GLOBAL' && type.includes('PreviewEnvVar') ? `${level}_PREVIEW` : level;
};

/** Env vars per level. One consumer over the project context: the project streams and the instance stream. */
export const envVarsProjection: Projection<EnvVarListView> = {
  name: 'env-vars-view',
  // 2: the preview levels.
  version: 2,
  collection: 'env_vars',
  sources: [{ context: 'project' }],
  types: ['ServiceCreated', 'GlobalEnvVarSet', 'GlobalEnvVarRemoved', 'ProjectEnvVarSet', 'ProjectEnvVarRemoved', 'ServiceEnvVarSet', 'ServiceEnvVarRemoved',
    'ProjectPreviewEnvVarSet', 'ProjectPreviewEnvVarRemoved', 'ServicePreviewEnvVarSet', 'ServicePreviewEnvVarRemoved'],
  documentId: (e: StoredEvent) => (e.type === 'ServiceCreated' ? `service:${e.data.serviceId}` : envVarListId(scopeOf(e.type), e.data as never)),
  evolve: (view, e) => {
    const projectId = (e.data.projectId as string | undefined) ?? null;
    const serviceId = (e.data.serviceId as string | undefined) ?? null;
    if (e.type === 'ServiceCreated') {
      // The service's own level starts with what it was created with (always plain).
      const created = (e.data.spec as ServiceSpec).env.map((v): EnvEntry =>
        'value' in v ? { key: v.key, secret: false, value: v.value } : { key: v.key, secret: true, sealedValue: v.sealedValue },
      );
      return created.reduce((list, entry) => setVar(list, entry, e.occurredAt), emptyEnvVarList('SERVICE', projectId, serviceId));
    }
    const list = view ?? emptyEnvVarList(scopeOf(e.type), projectId, serviceId);
    return e.type.endsWith('Set') ? setVar(list, e.data.variable as EnvEntry, e.occurredAt) : removeVar(list, String(e.data.key));
  },
};
