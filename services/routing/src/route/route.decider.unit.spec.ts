import { deciderSpec } from '@slipway/testing';
import { routeDecider, serviceHostnames, type RouteEvent } from './route.decider';

const assigned: RouteEvent = {
  type: 'RouteAssigned',
  data: {
    routeId: 's_1',
    serviceId: 's_1',
    hostnames: ['web-shop.localhost'],
    upstream: { dnsName: 'tasks.shop-web', port: 3000 },
    network: 'slipway-shop',
  },
};
const { given } = deciderSpec(routeDecider);

describe('route decider', () => {
  it('assigns a route once and reassigns only on change', () => {
    given([]).when({ type: 'AssignRoute', data: assigned.data as never }).then([assigned]);
    given([assigned]).when({ type: 'AssignRoute', data: assigned.data as never }).then([]);
    const moved = { ...assigned.data, hostnames: ['web-shop.localhost', 'shop.example.com'] } as never;
    given([assigned]).when({ type: 'AssignRoute', data: moved }).then([{ type: 'RouteAssigned', data: moved }]);
  });

  it('activates a route for each deployment once', () => {
    const activated: RouteEvent = { type: 'RouteActivated', data: { routeId: 's_1', deploymentId: 'd_1', url: 'https://web-shop.localhost' } };
    given([assigned]).when({ type: 'ActivateRoute', data: activated.data as never }).then([activated]);
    given([assigned, activated]).when({ type: 'ActivateRoute', data: activated.data as never }).then([]);
  });
});

describe('certificates of a route', () => {
  const issued: RouteEvent = { type: 'CertificateIssued', data: { routeId: 's_1', hostname: 'shop.example.com', issuer: 'Pebble', notAfter: '2027-02-26T00:00:00.000Z' } };
  const failed: RouteEvent = { type: 'CertificateFailed', data: { routeId: 's_1', hostname: 'shop.example.com', reason: 'JWS verification error', failedAt: '2026-11-29T10:00:00.000Z' } };

  it('records a failure once per reason, and the certificate once it is served', () => {
    given([assigned]).when({ type: 'RecordCertificateFailure', data: failed.data as never }).then([failed]);
    given([assigned, failed]).when({ type: 'RecordCertificateFailure', data: { ...failed.data, failedAt: '2026-11-29T10:05:00.000Z' } as never }).then([]);
    given([assigned, failed]).when({ type: 'RecordCertificate', data: issued.data as never }).then([issued]);
    given([assigned, failed, issued]).when({ type: 'RecordCertificate', data: issued.data as never }).then([]);
  });

  it('records a renewal (a new expiry), and a failure after an issued certificate', () => {
    const renewed = { ...issued.data, notAfter: '2027-05-26T00:00:00.000Z' } as never;
    given([assigned, issued]).when({ type: 'RecordCertificate', data: renewed }).then([{ type: 'CertificateIssued', data: renewed }]);
    given([assigned, issued]).when({ type: 'RecordCertificateFailure', data: failed.data as never }).then([failed]);
  });
});

describe('service hostnames', () => {
  it('puts <service>-<project>.<base> first, then custom domains', () => {
    expect(serviceHostnames('web', 'shop', 'localhost', ['shop.example.com'])).toEqual(['web-shop.localhost', 'shop.example.com']);
  });

  it('keeps a long pair within one 63-character DNS label, and unique', () => {
    const a = serviceHostnames('a'.repeat(40), 'b'.repeat(40), 'apps.example.com', [])[0];
    const b = serviceHostnames('a'.repeat(40), 'c'.repeat(40), 'apps.example.com', [])[0];
    expect(a.split('.')[0].length).toBeLessThanOrEqual(63);
    expect(a).not.toBe(b);
  });
});

describe('a route whose service stops, starts or is deleted', () => {
  const since = '2026-12-01T10:00:00.000Z';
  const suspended: RouteEvent = { type: 'RouteSuspended', data: { routeId: 's_1', since } };
  const removed: RouteEvent = { type: 'RouteRemoved', data: { routeId: 's_1', hostnames: ['web-shop.localhost'] } };

  it('is suspended once while stopped, and resumed once when started', () => {
    given([assigned]).when({ type: 'SuspendRoute', data: { routeId: 's_1', since } }).then([suspended]);
    given([assigned, suspended]).when({ type: 'SuspendRoute', data: { routeId: 's_1', since } }).then([]);
    given([assigned, suspended]).when({ type: 'ResumeRoute', data: { routeId: 's_1' } }).then([{ type: 'RouteResumed', data: { routeId: 's_1' } }]);
    given([assigned]).when({ type: 'ResumeRoute', data: { routeId: 's_1' } }).then([]);
  });

  it('has nothing to suspend or remove before its first roll-out', () => {
    given([]).when({ type: 'SuspendRoute', data: { routeId: 's_1', since } }).then([]);
    given([]).when({ type: 'RemoveRoute', data: { routeId: 's_1' } }).then([]);
  });

  it('is removed with its hostnames named, once, and never assigned again', () => {
    given([assigned, suspended]).when({ type: 'RemoveRoute', data: { routeId: 's_1' } }).then([removed]);
    given([assigned, removed]).when({ type: 'RemoveRoute', data: { routeId: 's_1' } }).then([]);
    given([assigned, removed]).when({ type: 'AssignRoute', data: assigned.data as never }).then([]);
  });
});
