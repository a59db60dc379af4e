import { z } from 'zod';
import { defineEvent } from '../event-definition';
import { id, timestamp } from './common';

const where = { context: 'routing', aggregate: 'route' } as const;
const hostname = z.string().min(1).max(253).regex(/^[a-z0-9.-]+$/, 'must be a lower-case hostname');

export const RouteAssigned = defineEvent(
  'RouteAssigned',
  where,
  z.object({ routeId: id, serviceId: id, hostnames: z.array(hostname).min(1), upstream: z.string().min(1) }),
);
export const RouteActivated = defineEvent('RouteActivated', where, z.object({ routeId: id, deploymentId: id }));
export const CertificateIssued = defineEvent(
  'CertificateIssued',
  where,
  z.object({ routeId: id, hostname, issuer: z.string().min(1), notAfter: timestamp }),
);

export const routingEvents = [RouteAssigned, RouteActivated, CertificateIssued] as const;
