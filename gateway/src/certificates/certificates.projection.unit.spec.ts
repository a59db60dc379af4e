import type { StoredEvent } from '@slipway/event-store';
import { certificatesProjection as p, type ServiceCertificatesView } from './certificates.projection';

let seq = 0;
const event = (type: string, data: Record<string, unknown>): StoredEvent => ({
  id: `e${++seq}`,
  type,
  version: 1,
  aggregateId: 's_1',
  occurredAt: `2026-11-29T10:00:0${seq % 10}.000Z`,
  correlationId: 'c',
  causationId: 'c',
  actor: { kind: 'service', id: 'routing' },
  data: { routeId: 's_1', ...data },
  stream: { context: 'routing', aggregate: 'route', id: 's_1' },
  streamVersion: seq,
  batchIndex: 0,
});
const fold = (events: StoredEvent[]) => events.reduce<ServiceCertificatesView | null>((v, e) => p.evolve(v, e), null);
const assigned = (hostnames: string[]) => event('RouteAssigned', { serviceId: 's_1', hostnames, upstream: { dnsName: 'tasks.shop-web', port: 3000 }, network: 'slipway-shop' });

describe('certificates read model', () => {
  it('lists each hostname of the route as pending, then issued or failed with the reason', () => {
    const first = assigned(['web-shop.localhost', 'shop.example.com']);
    const issued = event('CertificateIssued', { hostname: 'web-shop.localhost', issuer: 'Caddy Local Authority - ECC Intermediate', notAfter: '2026-11-30T09:00:00.000Z' });
    const failed = event('CertificateFailed', { hostname: 'shop.example.com', reason: 'Not served after 120 s: Caddy says: no such host', failedAt: '2026-11-29T10:02:00.000Z' });
    expect(fold([first])!.certificates.map((c) => [c.hostname, c.status])).toEqual([
      ['web-shop.localhost', 'PENDING'],
      ['shop.example.com', 'PENDING'],
    ]);
    expect(fold([first, issued, failed])!.certificates).toEqual([
      { hostname: 'web-shop.localhost', status: 'ISSUED', issuer: 'Caddy Local Authority - ECC Intermediate', notAfter: '2026-11-30T09:00:00.000Z', error: null, since: issued.occurredAt },
      { hostname: 'shop.example.com', status: 'FAILED', issuer: null, notAfter: null, error: 'Not served after 120 s: Caddy says: no such host', since: failed.occurredAt },
    ]);
  });

  it('keeps the status of kept hostnames when the route changes, and drops removed ones', () => {
    const issued = event('CertificateIssued', { hostname: 'web-shop.localhost', issuer: 'Caddy', notAfter: '2026-11-30T09:00:00.000Z' });
    const view = fold([assigned(['web-shop.localhost', 'shop.example.com']), issued, assigned(['web-shop.localhost', 'www.example.com'])]);
    expect(view!.certificates.map((c) => [c.hostname, c.status])).toEqual([
      ['web-shop.localhost', 'ISSUED'],
      ['www.example.com', 'PENDING'],
    ]);
    const late = event('CertificateFailed', { hostname: 'shop.example.com', reason: 'gone', failedAt: '2026-11-29T10:02:00.000Z' });
    expect(p.evolve(view, late)).toBe(view);
  });
});
