import { readdir, rm, stat } from 'node:fs/promises';
import { join } from 'node:path';

/** A hostname as a directory name: DNS labels only, so it can never name a path outside its issuer's folder. */
const safeHostname = /^[a-z0-9]([a-z0-9-]*[a-z0-9])?(\.[a-z0-9]([a-z0-9-]*[a-z0-9])?)+$/;

/**
 * Caddy keeps each certificate in its data directory (a bind mount on the host, infra/scripts/caddy.sh),
 * as certificates/<issuer>/<hostname>/. A deleted service's hostnames leave none behind: Caddy no
 * longer manages them once their route is gone, so nothing would renew or remove them.
 */
export class CaddyCertificateFiles {
  constructor(private readonly dataDir = process.env.CADDY_DATA_DIR || join(process.env.SLIPWAY_DATA_DIR || '/var/lib/slipway', 'caddy', 'data')) {}

  private get root() {
    return join(this.dataDir, 'caddy', 'certificates');
  }

  /** The hostnames that have a certificate on disk, from any issuer. */
  async hostnames(): Promise<string[]> {
    const issuers = await readdir(this.root).catch(() => [] as string[]);
    const names = await Promise.all(issuers.map((issuer) => readdir(join(this.root, issuer)).catch(() => [] as string[])));
    return [...new Set(names.flat())];
  }

  /** Removes every issuer's certificate of these hostnames; answers those that had one. */
  async remove(hostnames: string[]): Promise<string[]> {
    const removed = new Set<string>();
    for (const issuer of await readdir(this.root).catch(() => [] as string[])) {
      for (const hostname of hostnames.filter((h) => safeHostname.test(h))) {
        const dir = join(this.root, issuer, hostname);
        if (!(await stat(dir).catch(() => undefined))) continue;
        await rm(dir, { recursive: true, force: true });
        removed.add(hostname);
      }
    }
    return [...removed];
  }
}
