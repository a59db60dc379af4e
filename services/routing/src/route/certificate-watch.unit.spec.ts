import type { PresentedCertificate } from '../caddy';
import { CertificateWatch } from './certificate-watch';
import type { RouteCommand } from './route.decider';

/** The watch's own logic, with a clock and a Caddy that serves what the test says (the real one is in the e2e tests). */
const setup = (served: Set<string>, caddySays?: string) => {
  let clock = Date.parse('2026-11-29T10:00:00.000Z');
  const recorded: RouteCommand[] = [];
  const watch = new CertificateWatch(
    {
      probe: async (hostname) => {
        if (!served.has(hostname)) throw new Error(`no valid certificate for ${hostname} after 2000 ms: self-signed certificate`);
        return { hostname, issuer: 'Pebble Intermediate', validFrom: '', validTo: '2027-02-26T00:00:00.000Z', fingerprint256: '', elapsedMs: 5 } as PresentedCertificate;
      },
      issuanceError: async () => caddySays,
      record: async (command) => void recorded.push(command),
      now: () => new Date(clock),
    },
    { failAfterMs: 120_000, probeMs: 2_000 },
  );
  return { watch, recorded, advance: (ms: number) => (clock += ms) };
};

describe('certificate watch', () => {
  it('records what is served at once and tells what is still waiting, without waiting longer', async () => {
    const { watch, recorded } = setup(new Set(['web-shop.localhost']));
    const result = await watch.awaitBriefly('s_1', ['web-shop.localhost', 'shop.example.com'], 10_000);
    expect(result.issued.map((c) => c.hostname)).toEqual(['web-shop.localhost']);
    expect(result.waiting).toEqual([{ hostname: 'shop.example.com', why: expect.stringContaining('self-signed') }]);
    expect(recorded).toEqual([
      { type: 'RecordCertificate', data: { routeId: 's_1', hostname: 'web-shop.localhost', issuer: 'Pebble Intermediate', notAfter: '2027-02-26T00:00:00.000Z' } },
    ]);
  });

  it('records a failure with Caddy\u2019s words once the wait passes, once per cause, and the certificate when it comes at last', async () => {
    const served = new Set<string>();
    const { watch, recorded, advance } = setup(served, 'HTTP 400 urn:ietf:params:acme:error:malformed - JWS verification error');
    const route = { routeId: 's_1', hostnames: ['shop.example.com'], certificates: {} };
    await watch.awaitBriefly('s_1', ['shop.example.com'], 10_000);
    advance(60_000);
    await watch.sweep([route]);
    expect(recorded).toEqual([]);
    advance(70_000);
    await watch.sweep([route]);
    expect(recorded).toEqual([
      {
        type: 'RecordCertificateFailure',
        data: {
          routeId: 's_1',
          hostname: 'shop.example.com',
          reason: expect.stringMatching(/^Not served after 140 s: Caddy says: HTTP 400 .*JWS verification error\. Caddy keeps trying/),
          failedAt: '2026-11-29T10:02:10.000Z',
        },
      },
    ]);
    const failure = (recorded[0].data as { reason: string }).reason;
    advance(30_000);
    await watch.sweep([{ ...route, certificates: { 'shop.example.com': { failure, failedAt: '2026-11-29T10:02:10.000Z' } } }]);
    expect(recorded).toHaveLength(1);
    served.add('shop.example.com');
    await watch.sweep([{ ...route, certificates: { 'shop.example.com': { failure, failedAt: '2026-11-29T10:02:10.000Z' } } }]);
    expect(recorded.at(-1)).toMatchObject({ type: 'RecordCertificate', data: { hostname: 'shop.example.com' } });
  });

  it('leaves alone a served certificate far from expiry, and looks again at one near it, hourly', async () => {
    const { watch, recorded, advance } = setup(new Set(['shop.example.com']));
    const fresh = { 'shop.example.com': { notAfter: '2027-02-26T00:00:00.000Z', issuer: 'Pebble' } };
    await watch.sweep([{ routeId: 's_1', hostnames: ['shop.example.com'], certificates: fresh }]);
    expect(recorded).toEqual([]);
    const expiring = { 'shop.example.com': { notAfter: '2026-11-30T00:00:00.000Z', issuer: 'Pebble' } };
    await watch.sweep([{ routeId: 's_1', hostnames: ['shop.example.com'], certificates: expiring }]);
    expect(recorded).toHaveLength(1);
    // Not at every sweep: once an hour.
    await watch.sweep([{ routeId: 's_1', hostnames: ['shop.example.com'], certificates: expiring }]);
    expect(recorded).toHaveLength(1);
    advance(3_600_000);
    await watch.sweep([{ routeId: 's_1', hostnames: ['shop.example.com'], certificates: expiring }]);
    expect(recorded).toHaveLength(2);
  });
});
