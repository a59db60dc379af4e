import { registryAuthHeader } from '@slipway/secret-box';

const MANIFEST = 'application/vnd.docker.distribution.manifest.v2+json';

/**
 * Slipway's registry holds each service's images as `<project>/<service>:<tag>`. A deleted service
 * (or project) leaves no tag there: every manifest of its repositories is deleted by digest. The
 * registry keeps an empty repository's name in its catalog until it is garbage-collected.
 */
export class RegistryCleanup {
  constructor(private readonly registry = process.env.REGISTRY || '127.0.0.1:5000') {}

  private get base() {
    return `http://${this.registry}`;
  }

  /** The repositories named `<prefix>` exactly, or under `<prefix>/`. */
  async repositories(prefix: string): Promise<string[]> {
    const names: string[] = [];
    let path = `/v2/_catalog?n=1000`;
    for (;;) {
      const res = await fetch(`${this.base}${path}`, { headers: registryAuthHeader('deploy') });
      if (!res.ok) throw new Error(`the registry's catalog answered HTTP ${res.status}`);
      names.push(...(((await res.json()) as { repositories?: string[] }).repositories ?? []));
      const next = /<([^>]+)>;\s*rel="next"/.exec(res.headers.get('link') ?? '');
      if (!next) break;
      path = next[1];
    }
    return names.filter((n) => n === prefix || n.startsWith(`${prefix}/`));
  }

  async tags(repository: string): Promise<string[]> {
    const res = await fetch(`${this.base}/v2/${repository}/tags/list`, { headers: registryAuthHeader('deploy') });
    if (res.status === 404) return [];
    if (!res.ok) throw new Error(`the registry's tag list of ${repository} answered HTTP ${res.status}`);
    return ((await res.json()) as { tags?: string[] | null }).tags ?? [];
  }

  /** Deletes every tag of the repositories under `prefix`; answers how many were deleted. */
  async deleteRepositories(prefix: string): Promise<number> {
    let deleted = 0;
    for (const repository of await this.repositories(prefix)) {
      for (const tag of await this.tags(repository)) {
        const head = await fetch(`${this.base}/v2/${repository}/manifests/${tag}`, { method: 'HEAD', headers: { accept: MANIFEST, ...registryAuthHeader('deploy') } });
        const digest = head.ok ? head.headers.get('docker-content-digest') : null;
        if (!digest) continue; // deleted meanwhile (two tags of one manifest go with the first)
        const res = await fetch(`${this.base}/v2/${repository}/manifests/${digest}`, { method: 'DELETE', headers: registryAuthHeader('deploy') });
        if (!res.ok && res.status !== 404) throw new Error(`the registry refused to delete ${repository}:${tag}: HTTP ${res.status}`);
        deleted++;
      }
    }
    return deleted;
  }
}
