import { z } from 'zod';
import { defineEvent } from '../event-definition';
import { id, timestamp } from './common';

const where = { context: 'routing', aggregate: 'route' } as const;
const hostname = z.string().min(1).max(253).regex(/^[a-z0-9.-]+$/, 'must be a lower-case hostname');

/** One route per service (the route id is the service id): its hostnames and where they lead. */
export const RouteAssigned = defineEvent(
  'RouteAssigned',
  where,
  z.object({
    routeId: id,
    serviceId: id,
    hostnames: z.array(hostname).min(1),
    upstream: z.object({ dnsName: z.string().min(1), port: z.number().int().min(1).max(65_535) }),
    network: z.string().min(1),
    /** A preview copy's route (issue 12): its id is `<serviceId>-<slug>`, and it goes with the preview. */
    previewId: id.optional(),
  }),
);
/** The route serves this deployment at `url` (its certificate may still be on its way: see CertificateIssued/Failed). */
export const RouteActivated = defineEvent('RouteActivated', where, z.object({ routeId: id, deploymentId: id, url: z.url() }));
export const CertificateIssued = defineEvent(
  'CertificateIssued',
  where,
  z.object({ routeId: id, hostname, issuer: z.string().min(1), notAfter: timestamp }),
);

/**
 * A hostname's certificate was not served within the wait: the route serves plain HTTP (and HTTPS
 * with whatever Caddy has) meanwhile; Caddy keeps trying, and a later CertificateIssued ends it.
 */
export const CertificateFailed = defineEvent(
  'CertificateFailed',
  where,
  z.object({ routeId: id, hostname, reason: z.string().min(1), failedAt: timestamp }),
);

/** The service is stopped: its hostnames keep their certificates and answer with a "stopped" page. */
export const RouteSuspended = defineEvent('RouteSuspended', where, z.object({ routeId: id, since: timestamp }));
/** The service runs again: its hostnames lead to it again. */
export const RouteResumed = defineEvent('RouteResumed', where, z.object({ routeId: id }));
/** The service was deleted: its hostnames answer nothing of it, and their certificates are gone. */
export const RouteRemoved = defineEvent('RouteRemoved', where, z.object({ routeId: id, hostnames: z.array(hostname) }));

export const routingEvents = [RouteAssigned, RouteActivated, CertificateIssued, CertificateFailed, RouteSuspended, RouteResumed, RouteRemoved] as const;
