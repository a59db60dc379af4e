import type { EventStore } from '@slipway/event-store';
import type { CleanupItem } from '@slipway/proto';
import { planCleanup } from './cleanup-plan';
import { loadPlatformState } from './platform-state';
import type { RegistryTags } from './registry-tags.adapter';
import type { SwarmInventory } from './swarm-inventory.adapter';

export interface SweepReport {
  items: CleanupItem[];
  notes: string[];
  reclaimedBytes: number;
}

/**
 * The deploy service's part of a run: orphaned Swarm services first (their networks free up), then
 * networks, then registry tags. A dry run measures and lists; a real one removes, and `listed`
 * follows each removal, so each is recorded as it happens.
 */
export const sweepDeployPart = async (args: {
  store: EventStore;
  swarm: SwarmInventory;
  registry: RegistryTags;
  registryHost: string;
  dryRun: boolean;
  keepDeployments: number;
  minAgeMs: number;
  /** Called with each item as it goes (in a dry run, as it would): the report grows with it. */
  listed: (item: CleanupItem) => Promise<void>;
  report: SweepReport;
}): Promise<void> => {
  const { swarm, registry, dryRun } = args;
  const [state, swarmServices, networks] = await Promise.all([loadPlatformState(args.store), swarm.services(), swarm.networks()]);
  // Only repositories under a project name the events know can be judged: the rest are not ours to touch.
  const projectNames = new Set([...state.projects.values()].map((p) => p.name));
  const repositories = await registry.inventory((repository) => projectNames.has(repository.split('/')[0]));
  const knowsProjects = [...state.projects.values()].some((p) => p.name);
  const plan = planCleanup(state, { swarmServices, networks, repositories }, { registry: args.registryHost, keepDeployments: args.keepDeployments, minAgeMs: args.minAgeMs, now: new Date() });
  const { notes } = args.report;
  const take = async (item: CleanupItem) => {
    args.report.items.push(item);
    args.report.reclaimedBytes += item.bytes;
    await args.listed(item);
  };
  // An event store that knows no project at all is the wrong one (or empty): everything would look orphaned.
  const unknown = (reason: string) => !knowsProjects && / does not exist$/.test(reason);
  for (const s of plan.swarmServices) {
    if (unknown(s.reason)) continue;
    if (!dryRun) await swarm.removeService(s.name);
    await take({ kind: 'swarm-service', name: s.name, bytes: 0, reason: s.reason });
  }
  for (const n of plan.networks) {
    if (unknown(n.reason)) continue;
    const outcome = dryRun ? 'removed' : await swarm.removeNetwork(n.name);
    if (outcome === 'removed') await take({ kind: 'network', name: n.name, bytes: 0, reason: n.reason });
    else if (outcome !== 'absent') notes.push(`network ${n.name}: ${outcome}; left for the next run`);
  }
  if (!knowsProjects) notes.push('the event store knows no project: nothing was taken for an orphan of an unknown project');
  const reasons = new Map(plan.registryTags.map((t) => [t.name, t.reason]));
  for (const outcome of await registry.remove(plan.registryTags, repositories, dryRun)) {
    if (outcome.keptBecause) {
      notes.push(outcome.keptBecause);
      continue;
    }
    const name = `${args.registryHost}/${outcome.repository}:${outcome.tag}`;
    await take({ kind: 'registry-tag', name, bytes: outcome.bytes, reason: reasons.get(name) ?? 'no longer needed' });
  }
};
