import type { StoredEvent } from '@slipway/event-store';
import type { Projection } from '../read-models/projection';

export type CertificateStatus = 'PENDING' | 'ISSUED' | 'FAILED';

export interface CertificateView {
  hostname: string;
  status: CertificateStatus;
  issuer: string | null;
  notAfter: string | null;
  error: string | null;
  /** When the status last changed. */
  since: string;
}

/** The certificates of one service's route (the route id is the service id), one per hostname. */
export interface ServiceCertificatesView {
  serviceId: string;
  certificates: CertificateView[];
}

const pending = (hostname: string, since: string): CertificateView => ({ hostname, status: 'PENDING', issuer: null, notAfter: null, error: null, since });

const evolve = (view: ServiceCertificatesView | null, e: StoredEvent): ServiceCertificatesView | null => {
  const serviceId = String(e.data.routeId);
  const current = view ?? { serviceId, certificates: [] };
  const byName = new Map(current.certificates.map((c) => [c.hostname, c]));
  switch (e.type) {
    // A deleted service's certificates are gone from Caddy's storage too.
    case 'RouteRemoved':
      return { serviceId, certificates: [] };
    case 'RouteAssigned': {
      // The route's hostnames, in its order: kept names keep their status, new ones wait for theirs.
      const hostnames = e.data.hostnames as string[];
      return { serviceId, certificates: hostnames.map((h) => byName.get(h) ?? pending(h, e.occurredAt)) };
    }
    case 'CertificateIssued':
    case 'CertificateFailed': {
      const hostname = String(e.data.hostname);
      if (!byName.has(hostname)) return view; // a hostname the route no longer has
      const next: CertificateView =
        e.type === 'CertificateIssued'
          ? { hostname, status: 'ISSUED', issuer: String(e.data.issuer), notAfter: String(e.data.notAfter), error: null, since: e.occurredAt }
          : { ...byName.get(hostname)!, status: 'FAILED', error: String(e.data.reason), since: e.occurredAt };
      return { serviceId, certificates: current.certificates.map((c) => (c.hostname === hostname ? next : c)) };
    }
    default:
      return view;
  }
};

/**
 * Per hostname of each service: pending until served, issued (by whom, until when), or failed
 * with the reason (a failed one may still be served later: Caddy keeps trying, and the routing
 * service records it then).
 */
export const certificatesProjection: Projection<ServiceCertificatesView> = {
  name: 'certificates-view',
  collection: 'certificates',
  sources: [{ context: 'routing', aggregate: 'route' }],
  types: ['RouteAssigned', 'CertificateIssued', 'CertificateFailed', 'RouteRemoved'],
  documentId: (e) => String(e.data.routeId),
  evolve,
};
