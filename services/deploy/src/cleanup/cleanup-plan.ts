import { PREVIEW_LABEL, previewCopyName, previewNetwork } from '@slipway/proto';
import type { CatalogProject } from '../deployment/service-catalog';
import type { KnownDeployment, PlatformState } from './platform-state';

/** What Docker and the registry hold now, as the plan needs it. */
export interface SwarmServiceSeen {
  name: string;
  labels: Record<string, string>;
  createdAt: string;
  image?: string;
  /** Network ids or names it is attached to. */
  networks: string[];
}
export interface NetworkSeen {
  id: string;
  name: string;
  labels: Record<string, string>;
  createdAt: string;
}
export interface Inventory {
  swarmServices: SwarmServiceSeen[];
  networks: NetworkSeen[];
  /** Every repository of the registry, with its tags. */
  repositories: ReadonlyMap<string, readonly string[]>;
}
export interface PlanOptions {
  registry: string;
  /** The images of this many successful deployments of each service stay (at least 2: the current and the previous). */
  keepDeployments: number;
  /** Swarm services and networks younger than this are never orphans (a crash-free rollout may be creating them). */
  minAgeMs: number;
  now: Date;
}
export interface PlannedRemoval {
  name: string;
  reason: string;
}
export interface RegistryRemoval extends PlannedRemoval {
  repository: string;
  tag: string;
}
export interface CleanupPlan {
  swarmServices: PlannedRemoval[];
  networks: PlannedRemoval[];
  registryTags: RegistryRemoval[];
}

/** Only what Slipway deployed carries these; the control plane (Caddy, the registry) and tests' fixtures never do. */
const isSlipways = (labels: Record<string, string>) => labels['slipway.managed'] === 'true' && Boolean(labels['slipway.project']) && !labels['slipway.test'];
const oldEnough = (createdAt: string, o: PlanOptions) => o.now.getTime() - Date.parse(createdAt) >= o.minAgeMs;
const liveProjects = (state: PlatformState) => [...state.projects.entries()].filter(([, p]) => p.name && !p.deleted) as [string, CatalogProject & { name: string }][];
const previewsOf = (state: PlatformState, projectId: string) => [...state.previews.entries()].filter(([, p]) => p.projectId === projectId);

/** Why a project's things are orphans, or undefined while it lives. */
const projectGone = (state: PlatformState, projectId: string): string | undefined => {
  const project = state.projects.get(projectId);
  if (!project?.name) return `project ${projectId} does not exist`;
  return project.deleted ? `project ${project.name} was deleted` : undefined;
};

export const planSwarmServices = (state: PlatformState, services: readonly SwarmServiceSeen[], o: PlanOptions): PlannedRemoval[] =>
  services.flatMap((s) => {
    if (!isSlipways(s.labels) || !oldEnough(s.createdAt, o)) return [];
    const projectId = s.labels['slipway.project'];
    const gone = projectGone(state, projectId);
    if (gone) return [{ name: s.name, reason: gone }];
    const previewId = s.labels[PREVIEW_LABEL];
    if (previewId) {
      const preview = state.previews.get(previewId);
      return preview?.live ? [] : [{ name: s.name, reason: preview ? `preview ${previewId} was torn down` : `preview ${previewId} does not exist` }];
    }
    const serviceId = s.labels['slipway.service'];
    if (!serviceId || state.projects.get(projectId)!.services.has(serviceId)) return [];
    return [{ name: s.name, reason: `service ${serviceId} of project ${state.projects.get(projectId)!.name} was deleted` }];
  });

/** Networks: a deleted or unknown project's, or a torn-down preview's, once no Swarm service (left) is on them. */
export const planNetworks = (state: PlatformState, inventory: Inventory, removedServices: ReadonlySet<string>, o: PlanOptions): PlannedRemoval[] => {
  const used = new Set(inventory.swarmServices.filter((s) => !removedServices.has(s.name)).flatMap((s) => s.networks));
  // A name a live project uses now, whatever project the label names (a re-created project reuses its network).
  const liveNames = new Set<string>();
  for (const [projectId, project] of liveProjects(state)) {
    liveNames.add(`slipway-${project.name}`);
    for (const [, p] of previewsOf(state, projectId)) if (p.live) liveNames.add(previewNetwork(project.name, p.slug));
  }
  return inventory.networks.flatMap((n) => {
    if (!isSlipways(n.labels) || !oldEnough(n.createdAt, o) || liveNames.has(n.name) || used.has(n.id) || used.has(n.name)) return [];
    const projectId = n.labels['slipway.project'];
    const gone = projectGone(state, projectId);
    if (gone) return [{ name: n.name, reason: gone }];
    const project = state.projects.get(projectId)!;
    const preview = previewsOf(state, projectId).find(([, p]) => !p.live && previewNetwork(project.name!, p.slug) === n.name);
    return preview ? [{ name: n.name, reason: `preview ${preview[0]} was torn down` }] : [];
  });
};

const tagOf = (imageRef: string | undefined, registry: string): { repository: string; tag: string } | undefined => {
  const m = imageRef ? /^([^/]+)\/(.+):([^:@/]+)$/.exec(imageRef) : null;
  return m && m[1] === registry ? { repository: m[2], tag: m[3] } : undefined;
};

/** A live service's deployments beyond the newest `keep` successful ones, whose images nothing else needs. */
const planOldImages = (state: PlatformState, registry: string, keep: number, running: ReadonlySet<string>): RegistryRemoval[] => {
  const byService = new Map<string, KnownDeployment[]>();
  for (const d of state.deployments) byService.set(d.serviceId, [...(byService.get(d.serviceId) ?? []), d]);
  // A service's own repositories (one per name it had): an image it ran from elsewhere (another repository of the registry) is its owner's, never ours to remove.
  const liveServices = new Map(liveProjects(state).flatMap(([, p]) => [...p.services.entries()].map(([id, s]) => [id, { label: `${p.name}/${s.name}`, repositories: new Set(s.names.map((n) => `${p.name}/${n}`)) }] as const)));
  // Never an image a deployment under way, a live preview or a running task uses, nor one kept for a rollback.
  const needed = new Set(running);
  const candidates: { d: KnownDeployment; service: { label: string; repositories: ReadonlySet<string> } }[] = [];
  for (const [serviceId, deployments] of byService) {
    for (const d of deployments) {
      const previewLive = d.previewId && state.previews.get(d.previewId)?.live;
      if (d.imageRef && (d.status === 'unfinished' || previewLive)) needed.add(d.imageRef);
    }
    const service = liveServices.get(serviceId);
    const succeeded = deployments.filter((d) => d.status === 'succeeded' && !d.previewId).sort((a, b) => (b.endedAt ?? '').localeCompare(a.endedAt ?? ''));
    succeeded.slice(0, keep).forEach((d) => d.imageRef && needed.add(d.imageRef));
    if (!service || succeeded.length <= keep) continue;
    const lastKept = succeeded[keep - 1].endedAt ?? '';
    for (const d of deployments) {
      if (d.status !== 'unfinished' && !d.previewId && d.imageRef && (d.endedAt ?? '') < lastKept) candidates.push({ d, service });
    }
  }
  const seen = new Set<string>();
  return candidates.flatMap(({ d, service }) => {
    const ref = tagOf(d.imageRef, registry);
    if (!ref || !service.repositories.has(ref.repository) || needed.has(d.imageRef!) || seen.has(d.imageRef!)) return [];
    seen.add(d.imageRef!);
    const how = d.status === 'succeeded' ? `succeeded ${d.endedAt?.slice(0, 10)}` : 'did not succeed';
    return [{ ...ref, name: d.imageRef!, reason: `image of deployment ${d.deploymentId} of ${service.label} (${how}); ${keep} newer successful deployments keep theirs` }];
  });
};

/** Why a repository `<project>/<name>` is an orphan by the catalog, or undefined (live, or not provably ours). */
const orphanRepository = (state: PlatformState, repository: string): string | undefined => {
  const [projectName, name] = repository.split('/', 2);
  if (!name || repository.split('/').length !== 2) return undefined;
  const named = [...state.projects.entries()].filter(([, p]) => p.name === projectName);
  const live = named.find(([, p]) => !p.deleted);
  if (!live) return named.length ? `project ${projectName} was deleted` : undefined;
  const [projectId, project] = live;
  const liveNames = [...project.services.values()].flatMap((s) => s.names);
  const deletedNames = [...(project.deletedServices?.values() ?? [])].flat();
  if (liveNames.includes(name)) return undefined;
  const previews = previewsOf(state, projectId);
  const copyOf = (slugs: string[]) => [...liveNames, ...deletedNames].some((n) => slugs.some((slug) => previewCopyName(n, slug) === name));
  if (copyOf(previews.filter(([, p]) => p.live).map(([, p]) => p.slug))) return undefined;
  if (deletedNames.includes(name)) return `service ${name} of project ${projectName} was deleted`;
  return copyOf(previews.filter(([, p]) => !p.live).map(([, p]) => p.slug)) ? `the preview that ran ${name} was torn down` : undefined;
};

export const planRegistryTags = (state: PlatformState, inventory: Inventory, o: PlanOptions): RegistryRemoval[] => {
  const running = new Set(inventory.swarmServices.flatMap((s) => (s.image ? [s.image.split('@')[0]] : [])));
  const keep = Math.max(2, o.keepDeployments);
  const orphans = [...inventory.repositories.entries()].flatMap(([repository, tags]) => {
    const reason = orphanRepository(state, repository);
    return reason ? tags.map((tag) => ({ repository, tag, name: `${o.registry}/${repository}:${tag}`, reason })) : [];
  });
  const old = planOldImages(state, o.registry, keep, running).filter((r) => inventory.repositories.get(r.repository)?.includes(r.tag));
  return [...orphans, ...old.filter((r) => !orphans.some((x) => x.name === r.name))];
};

/** The deploy service's part of a run: what it would remove, each with its reason. */
export const planCleanup = (state: PlatformState, inventory: Inventory, o: PlanOptions): CleanupPlan => {
  const swarmServices = planSwarmServices(state, inventory.swarmServices, o);
  const networks = planNetworks(state, inventory, new Set(swarmServices.map((s) => s.name)), o);
  return { swarmServices, networks, registryTags: planRegistryTags(state, inventory, o) };
};
