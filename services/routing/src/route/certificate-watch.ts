import type { PresentedCertificate } from '../caddy';
import type { CertificateState, RouteCommand } from './route.decider';

/** What the watch needs from the world: injected, so it runs against the real Caddy in tests. */
export interface CertificateWatchPorts {
  /** Waits up to `timeoutMs` for a valid certificate for `hostname` (rejects with why not). */
  probe(hostname: string, timeoutMs: number): Promise<PresentedCertificate>;
  /** The newest error Caddy logged while getting one (e.g. the ACME server's answer). */
  issuanceError(hostname: string): Promise<string | undefined>;
  record(command: RouteCommand): Promise<void>;
  now(): Date;
}

export interface CertificateWatchTiming {
  /** How long a hostname may wait for its certificate before it is recorded as failing. */
  failAfterMs: number;
  /** One probe of the periodic sweep. */
  probeMs: number;
}

/**
 * Certificates never hold up a deployment: the route serves as soon as Caddy has it, and this
 * watch records, per hostname, when its certificate is served (CertificateIssued) or that it is
 * still not served after `failAfterMs` (CertificateFailed, with Caddy's own error). Caddy keeps
 * retrying on its own; the sweep keeps looking, so a late certificate is recorded when it comes.
 */
export class CertificateWatch {
  /** When each hostname was first seen without a certificate (this process's memory is enough). */
  private readonly waitingSince = new Map<string, number>();
  /** When a served certificate near its expiry was last looked at: once an hour is enough to see its renewal. */
  private readonly renewalCheckedAt = new Map<string, number>();

  constructor(
    private readonly ports: CertificateWatchPorts,
    private readonly timing: CertificateWatchTiming,
  ) {}

  /** Probes the route's hostnames for up to `waitMs` together; records those served. Returns those still waiting. */
  async awaitBriefly(routeId: string, hostnames: string[], waitMs: number): Promise<{ issued: PresentedCertificate[]; waiting: { hostname: string; why: string }[] }> {
    const results = await Promise.all(hostnames.map((h) => this.look(routeId, h, waitMs)));
    return {
      issued: results.flatMap((r) => ('certificate' in r ? [r.certificate] : [])),
      waiting: results.flatMap((r) => ('why' in r ? [{ hostname: r.hostname, why: r.why }] : [])),
    };
  }

  /**
   * One pass over every route: hostnames without a served certificate, or whose certificate is
   * within `renewWithinMs` of expiry, are probed again; one waiting too long is recorded as failing.
   */
  async sweep(routes: { routeId: string; hostnames: string[]; certificates: Record<string, CertificateState> }[], renewWithinMs = 7 * 86_400_000) {
    const now = this.ports.now().getTime();
    for (const route of routes) {
      for (const hostname of route.hostnames) {
        const known = route.certificates[hostname];
        if (known && 'notAfter' in known) {
          // Served: looked at again only near its expiry (Caddy's own CA issues 12-hour certificates), hourly.
          this.waitingSince.delete(hostname);
          if (Date.parse(known.notAfter) - now > renewWithinMs || now - (this.renewalCheckedAt.get(hostname) ?? 0) < 3_600_000) continue;
          this.renewalCheckedAt.set(hostname, now);
        }
        const result = await this.look(route.routeId, hostname, this.timing.probeMs);
        if ('why' in result) await this.failIfOverdue(route.routeId, hostname, result.why, known);
      }
    }
  }

  private async look(
    routeId: string,
    hostname: string,
    timeoutMs: number,
  ): Promise<{ hostname: string; certificate: PresentedCertificate } | { hostname: string; why: string }> {
    try {
      const certificate = await this.ports.probe(hostname, timeoutMs);
      this.waitingSince.delete(hostname);
      const notAfter = new Date(certificate.validTo).toISOString();
      await this.ports.record({ type: 'RecordCertificate', data: { routeId, hostname, issuer: certificate.issuer, notAfter } });
      return { hostname, certificate };
    } catch (err) {
      if (!this.waitingSince.has(hostname)) this.waitingSince.set(hostname, this.ports.now().getTime() - timeoutMs);
      return { hostname, why: (err as Error).message };
    }
  }

  private async failIfOverdue(routeId: string, hostname: string, probeError: string, known: CertificateState | undefined) {
    const waited = this.ports.now().getTime() - (this.waitingSince.get(hostname) ?? this.ports.now().getTime());
    if (waited < this.timing.failAfterMs) return;
    const caddySays = await this.ports.issuanceError(hostname).catch(() => undefined);
    const reason =
      `Not served after ${Math.round(waited / 1000)} s: ${caddySays ? `Caddy says: ${caddySays}` : probeError}. ` +
      'Caddy keeps trying; plain HTTP works meanwhile. For your own domain, check that its DNS points at this server.';
    // Recorded once per cause: the seconds in the text change, what Caddy says does not.
    const sameCause = known && 'failure' in known && known.failure.replace(/after \d+ s/, '') === reason.replace(/after \d+ s/, '');
    if (sameCause) return;
    await this.ports.record({ type: 'RecordCertificateFailure', data: { routeId, hostname, reason, failedAt: this.ports.now().toISOString() } });
  }
}
