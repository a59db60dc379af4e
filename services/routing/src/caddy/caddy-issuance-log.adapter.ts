import type Dockerode from 'dockerode';
import { CADDY_SERVICE, runningCaddyContainers } from './caddy-network.adapter';

/** Docker's log stream of a container without a TTY: 8-byte frame headers (stream, 0, 0, 0, size). */
export const demuxDockerLog = (raw: Buffer): string => {
  const out: Buffer[] = [];
  for (let at = 0; at + 8 <= raw.length; ) {
    const size = raw.readUInt32BE(at + 4);
    out.push(raw.subarray(at + 8, at + 8 + size));
    at += 8 + size;
  }
  return Buffer.concat(out).toString('utf8');
};

/**
 * The newest error Caddy logged while getting a certificate for `hostname` (its JSON log lines
 * name it as `identifier`), e.g. the ACME server's answer. Caddy's admin API does not tell it;
 * its log does. Undefined when there is none in the last lines.
 */
export const lastIssuanceError = (log: string, hostname: string): string | undefined => {
  let last: string | undefined;
  for (const line of log.split('\n')) {
    if (!line.includes(hostname) || !line.startsWith('{')) continue;
    try {
      const entry = JSON.parse(line) as { level?: string; logger?: string; identifier?: string; error?: string; msg?: string };
      if (entry.identifier !== hostname || !(entry.logger ?? '').startsWith('tls') || (entry.level !== 'error' && entry.level !== 'warn')) continue;
      last = entry.error ?? entry.msg ?? last;
    } catch {
      // not a JSON line
    }
  }
  return last;
};

/** Reads the running Caddy task's recent log for `lastIssuanceError`. */
export const caddyIssuanceError = async (docker: Dockerode, hostname: string, caddyService = CADDY_SERVICE): Promise<string | undefined> => {
  for (const c of await runningCaddyContainers(docker, caddyService)) {
    const raw = (await docker.getContainer(c.Id).logs({ stdout: true, stderr: true, tail: 2000, follow: false })) as unknown as Buffer;
    const found = lastIssuanceError(demuxDockerLog(raw), hostname);
    if (found) return found;
  }
  return undefined;
};
