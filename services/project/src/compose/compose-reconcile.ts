import { ComposeServicePlan } from './compose-plan';

export type PlanField = Exclude<keyof ComposeServicePlan, 'name'>;

export interface PlanChange {
  field: PlanField;
  before: unknown;
  after: unknown;
}

export interface ComposeReconciliation {
  added: ComposeServicePlan[];
  changed: { name: string; plan: ComposeServicePlan; changes: PlanChange[] }[];
  removed: ComposeServicePlan[];
  unchanged: string[];
}

const FIELDS: PlanField[] = ['source', 'command', 'environment', 'envFiles', 'port', 'dependencies', 'healthCheck', 'volumes', 'replicas', 'resources'];

/** Order that carries no meaning is taken out before comparing: variables by key, dependencies by service. */
const comparable = (field: PlanField, value: unknown): string => {
  if (field === 'environment' || field === 'dependencies') {
    const list = [...(value as { key?: string; service?: string }[])];
    list.sort((a, b) => String(a.key ?? a.service).localeCompare(String(b.key ?? b.service)));
    return stable(list);
  }
  if (field === 'port' && value) return stable({ ...(value as object), reason: undefined });
  return stable(value);
};

/** JSON with object keys sorted, so `{a, b}` and `{b, a}` compare equal. */
const stable = (value: unknown): string =>
  JSON.stringify(value, (_, v: unknown) =>
    v && typeof v === 'object' && !Array.isArray(v) ? Object.fromEntries(Object.entries(v).sort(([a], [b]) => a.localeCompare(b))) : v,
  ) ?? 'undefined';

/**
 * Every deploy re-reads the compose file: what the new reading adds, changes and removes against
 * the plans the project's services were made from. Services match by compose name; a renamed
 * service is a removal and an addition, as it is in Compose.
 */
export const reconcileCompose = (previous: readonly ComposeServicePlan[], next: readonly ComposeServicePlan[]): ComposeReconciliation => {
  const before = new Map(previous.map((p) => [p.name, p]));
  const names = new Set(next.map((p) => p.name));
  const result: ComposeReconciliation = { added: [], changed: [], removed: previous.filter((p) => !names.has(p.name)), unchanged: [] };
  for (const plan of next) {
    const old = before.get(plan.name);
    if (!old) {
      result.added.push(plan);
      continue;
    }
    const changes = FIELDS.filter((f) => comparable(f, old[f]) !== comparable(f, plan[f])).map((field) => ({ field, before: old[field], after: plan[field] }));
    if (changes.length > 0) result.changed.push({ name: plan.name, plan, changes });
    else result.unchanged.push(plan.name);
  }
  return result;
};
