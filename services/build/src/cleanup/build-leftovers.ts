import { readdir, rm, stat } from 'node:fs/promises';
import { join } from 'node:path';
import type Docker from 'dockerode';
import type { EventStore } from '@slipway/event-store';
import type { CleanupItem } from '@slipway/proto';

/** A local image as the plan needs it. */
export interface LocalImage {
  id: string;
  tags: string[];
  size: number;
  labels: Record<string, string>;
}

/** Project names the project service's events know: live ones, and deleted ones no live project took over. */
export interface ProjectNames {
  live: ReadonlySet<string>;
  deleted: ReadonlySet<string>;
}

export interface PlannedLeftover extends CleanupItem {
  /** What to remove: an image reference or id, or a git cache folder. */
  target: string;
}

/** Slipway's builds label their images; nothing else on the Engine (base images, others' images) is ever touched. */
const BUILT_BY_SLIPWAY = 'com.slipway.commit';

/**
 * The build service's part of a run: local copies of the registry tags the deploy part removed (or
 * would), images under a deleted project's repositories, untagged images of its own builds, and a
 * deleted project's git caches.
 */
export const planLeftovers = (args: { registry: string; images: readonly LocalImage[]; removedTags: ReadonlySet<string>; names: ProjectNames; gitCaches: readonly { name: string; bytes: number }[] }): PlannedLeftover[] => {
  const { registry, images, removedTags, names } = args;
  const projectOf = (ref: string) => (ref.startsWith(`${registry}/`) ? ref.slice(registry.length + 1).split('/')[0] : undefined);
  const orphanProject = (ref: string) => {
    const project = projectOf(ref);
    return project !== undefined && names.deleted.has(project) && !names.live.has(project) ? project : undefined;
  };
  const planned: PlannedLeftover[] = [];
  for (const image of images) {
    if (image.tags.length === 0) {
      if (image.labels[BUILT_BY_SLIPWAY]) planned.push({ kind: 'image', name: image.id, target: image.id, bytes: image.size, reason: 'an untagged image of an earlier build' });
      continue;
    }
    const going = image.tags.map((tag) => ({ tag, why: removedTags.has(tag) ? 'its registry tag goes in this run' : orphanProject(tag) ? `project ${orphanProject(tag)} was deleted` : undefined }));
    // The layers come back only when the last tag goes.
    const all = going.every((g) => g.why);
    for (const g of going) if (g.why) planned.push({ kind: 'image', name: g.tag, target: g.tag, bytes: all && g === going[going.length - 1] ? image.size : 0, reason: g.why });
  }
  for (const cache of args.gitCaches) {
    if (names.deleted.has(cache.name) && !names.live.has(cache.name)) planned.push({ kind: 'build-cache', name: `git/${cache.name}`, target: cache.name, bytes: cache.bytes, reason: `project ${cache.name} was deleted` });
  }
  return planned;
};

export const loadProjectNames = async (store: EventStore): Promise<ProjectNames> => {
  const byId = new Map<string, { name: string; deleted: boolean }>();
  for (const e of await store.readAll({ context: 'project', aggregate: 'project' })) {
    if (e.type === 'ProjectCreated') byId.set(e.aggregateId, { name: String(e.data.name), deleted: false });
    if (e.type === 'ProjectDeleted' && byId.has(e.aggregateId)) byId.get(e.aggregateId)!.deleted = true;
  }
  const projects = [...byId.values()];
  return { live: new Set(projects.filter((p) => !p.deleted).map((p) => p.name)), deleted: new Set(projects.filter((p) => p.deleted).map((p) => p.name)) };
};

const folderBytes = async (path: string): Promise<number> => {
  let total = 0;
  for (const entry of await readdir(path, { withFileTypes: true }).catch(() => [])) {
    const full = join(path, entry.name);
    if (entry.isDirectory()) total += await folderBytes(full);
    else if (entry.isFile()) total += (await stat(full).catch(() => ({ size: 0 }))).size;
  }
  return total;
};

/** The Engine's images and the git caches, and their removal. */
export class BuildLeftovers {
  constructor(
    private readonly docker: Docker,
    private readonly options: { dataDir: string; registry: string },
  ) {}

  get registry() {
    return this.options.registry;
  }

  async images(): Promise<LocalImage[]> {
    // Size counts the layers an image shares with others too; only what is its own comes back. The
    // Engine's disk usage report is the one listing that computes the shared part.
    const usage = (await this.docker.df()) as { Images?: { Id: string; Size: number; SharedSize: number }[] };
    const own = new Map((usage.Images ?? []).map((i) => [i.Id, Math.max(0, i.Size - Math.max(0, i.SharedSize))]));
    return (await this.docker.listImages({ all: false })).map((i) => ({
      id: i.Id,
      tags: (i.RepoTags ?? []).filter((t) => t !== '<none>:<none>'),
      size: own.get(i.Id) ?? 0,
      labels: i.Labels ?? {},
    }));
  }

  async gitCaches(): Promise<{ name: string; bytes: number }[]> {
    const root = join(this.options.dataDir, 'git');
    const entries = await readdir(root, { withFileTypes: true }).catch(() => []);
    return Promise.all(entries.filter((e) => e.isDirectory()).map(async (e) => ({ name: e.name, bytes: await folderBytes(join(root, e.name)) })));
  }

  /**
   * Removes it; answers the bytes that came back, or why it stays. A tag goes even when a stopped
   * container (Swarm's task history) holds its image, which then stays until that container goes;
   * an untagged image is removed only when no container at all uses it.
   */
  async remove(item: PlannedLeftover): Promise<{ bytes: number } | { stays: string }> {
    if (item.kind === 'build-cache') {
      await rm(join(this.options.dataDir, 'git', item.target), { recursive: true, force: true });
      return { bytes: item.bytes };
    }
    const image = this.docker.getImage(item.target);
    const id = ((await image.inspect().catch(() => undefined)) as { Id?: string } | undefined)?.Id;
    if (!id) return { bytes: 0 };
    try {
      await image.remove({ force: item.target !== id });
    } catch (err) {
      if ((err as { statusCode?: number }).statusCode !== 404) return { stays: `${item.name} stays: ${(err as { json?: { message?: string } }).json?.message ?? (err as Error).message}` };
    }
    const left = await this.docker.getImage(id).inspect().then(() => true, () => false);
    return { bytes: left ? 0 : item.bytes };
  }
}
