import { rm } from 'node:fs/promises';
import { join } from 'node:path';
import type Docker from 'dockerode';
import { validateCacheScope } from './git-source';

/**
 * What builds keep between builds, per project: the git caches (<dataDir>/git/<project>/) and, on
 * this Engine, the images tagged `<registry>/<project>/<service>:…` (their layers are the next
 * build's cache). A deleted service's images go; a deleted project's git caches too.
 */
export class BuildCaches {
  constructor(
    private readonly docker: Docker,
    private readonly options: { dataDir: string; registry: string },
  ) {}

  /** Removes every local reference (tag or digest) under `<registry>/<prefix>/`; the layers go with the last one. */
  async removeImages(prefix: string): Promise<string[]> {
    const under = `${this.options.registry}/${prefix}`;
    const matches = (ref: string) => ref.startsWith(`${under}:`) || ref.startsWith(`${under}@`) || ref.startsWith(`${under}/`);
    const removed: string[] = [];
    for (const image of await this.docker.listImages({ all: false })) {
      for (const ref of [...(image.RepoTags ?? []), ...(image.RepoDigests ?? [])].filter(matches)) {
        try {
          // By reference, never by id: an image copied from elsewhere shares its id with the original's tag.
          await this.docker.getImage(ref).remove({ force: true });
          removed.push(ref);
        } catch (err) {
          if ((err as { statusCode?: number }).statusCode !== 404) throw err;
        }
      }
    }
    return removed;
  }

  /** The project's git caches (every repository its services fetched). */
  async removeGitCaches(projectName: string): Promise<void> {
    await rm(join(this.options.dataDir, 'git', validateCacheScope(projectName)), { recursive: true, force: true });
  }
}
