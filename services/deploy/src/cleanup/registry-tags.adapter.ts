import { registryAuthHeader } from '@slipway/secret-box';

const MANIFESTS = ['application/vnd.docker.distribution.manifest.v2+json', 'application/vnd.oci.image.manifest.v1+json'].join(', ');

interface Manifest {
  digest: string;
  /** Config and layer blobs with their sizes (compressed, as the registry stores them). */
  blobs: { digest: string; size: number }[];
}

export interface TagRemoval {
  repository: string;
  tag: string;
}
export interface TagOutcome extends TagRemoval {
  /** Bytes of blobs no kept tag of the repository shares: the registry's garbage collection frees them. */
  bytes: number;
  /** Set when the tag stays: why. */
  keptBecause?: string;
}

/**
 * The registry side of the clean-up: its repositories and tags, and the removal of tags by digest
 * (the registry's only way). A digest that a tag still kept also points at is never deleted.
 */
export class RegistryTags {
  constructor(private readonly registry = process.env.REGISTRY || '127.0.0.1:5000') {}

  private async get(path: string, init: RequestInit = {}) {
    return fetch(`http://${this.registry}${path}`, { ...init, headers: { ...registryAuthHeader('deploy'), ...(init.headers as Record<string, string>) } });
  }

  /**
   * The repositories `wanted` picks, with their tags. The registry checks the password of every
   * request (bcrypt, ~200 ms here), so the tag lists are asked for a few at a time.
   */
  async inventory(wanted: (repository: string) => boolean = () => true): Promise<Map<string, string[]>> {
    const names: string[] = [];
    for (let path: string | undefined = '/v2/_catalog?n=1000'; path; ) {
      const res = await this.get(path);
      if (!res.ok) throw new Error(`the registry's catalog answered HTTP ${res.status}`);
      names.push(...(((await res.json()) as { repositories?: string[] }).repositories ?? []));
      path = /<([^>]+)>;\s*rel="next"/.exec(res.headers.get('link') ?? '')?.[1];
    }
    const repositories = new Map<string, string[]>();
    const queue = names.filter(wanted);
    const worker = async () => {
      for (let name = queue.shift(); name; name = queue.shift()) {
        const res = await this.get(`/v2/${name}/tags/list`);
        const tags = res.ok ? (((await res.json()) as { tags?: string[] | null }).tags ?? []) : [];
        if (tags.length) repositories.set(name, tags);
      }
    };
    await Promise.all(Array.from({ length: 8 }, worker));
    return repositories;
  }

  private async manifest(repository: string, tag: string): Promise<Manifest | undefined> {
    const res = await this.get(`/v2/${repository}/manifests/${tag}`, { headers: { accept: MANIFESTS } });
    if (!res.ok) return undefined;
    const body = (await res.json()) as { config?: { digest: string; size: number }; layers?: { digest: string; size: number }[] };
    return { digest: res.headers.get('docker-content-digest') ?? '', blobs: [...(body.config ? [body.config] : []), ...(body.layers ?? [])] };
  }

  /**
   * Removes (or, dry, measures) the tags, repository by repository: a tag whose image a kept tag
   * shares stays; each blob is counted once, and only when no kept tag uses it.
   */
  async remove(removals: readonly TagRemoval[], all: ReadonlyMap<string, readonly string[]>, dryRun: boolean): Promise<TagOutcome[]> {
    const outcomes: TagOutcome[] = [];
    for (const repository of new Set(removals.map((r) => r.repository))) {
      const going = new Set(removals.filter((r) => r.repository === repository).map((r) => r.tag));
      const kept = new Map<string, Manifest>();
      for (const tag of (all.get(repository) ?? []).filter((t) => !going.has(t))) {
        const m = await this.manifest(repository, tag);
        if (m) kept.set(tag, m);
      }
      const keptBlobs = new Set([...kept.values()].flatMap((m) => m.blobs.map((b) => b.digest)));
      const counted = new Set<string>();
      const deleted = new Set<string>();
      for (const tag of going) {
        const m = await this.manifest(repository, tag);
        if (!m) continue; // gone meanwhile
        const sharer = [...kept.entries()].find(([, k]) => k.digest === m.digest)?.[0];
        if (sharer) {
          outcomes.push({ repository, tag, bytes: 0, keptBecause: `${repository}:${tag} is the same image as ${repository}:${sharer}, which is kept` });
          continue;
        }
        const bytes = m.blobs.filter((b) => !keptBlobs.has(b.digest) && !counted.has(b.digest)).reduce((n, b) => (counted.add(b.digest), n + b.size), 0);
        if (!dryRun && !deleted.has(m.digest)) {
          const res = await this.get(`/v2/${repository}/manifests/${m.digest}`, { method: 'DELETE' });
          if (!res.ok && res.status !== 404) throw new Error(`the registry refused to delete ${repository}:${tag} (HTTP ${res.status})`);
          deleted.add(m.digest);
        }
        outcomes.push({ repository, tag, bytes });
      }
    }
    return outcomes;
  }
}
