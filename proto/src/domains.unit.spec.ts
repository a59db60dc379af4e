import { serviceSpecInput } from './commands';
import { AddDomain, RemoveDomain } from './settings.commands';

const ids = { projectId: 'p_1', serviceId: 's_1' };
// proto imports nothing of the repo (not even the test fixtures): a spec written out here.
const spec = {
  source: { kind: 'image', ref: 'ghcr.io/acme/web:1' },
  port: 3000,
  replicas: 1,
  resources: { cpu: 0.5, memoryMb: 256 },
  healthCheck: { kind: 'none' },
  build: { dockerfilePath: 'Dockerfile' },
  security: { readOnlyRootFilesystem: false },
};
const creating = (domains: string[]) => serviceSpecInput.safeParse({ ...spec, env: [], domains });

describe('security: one domain rule wherever a domain is given', () => {
  it('refuses at creation what addDomain refuses: an IP address, a single label, upper case', () => {
    for (const bad of ['127.0.0.1', 'localhost', 'Shop.Example.com']) {
      expect(creating([bad]).success).toBe(false);
      expect(AddDomain.schema.safeParse({ ...ids, hostname: bad }).success).toBe(false);
    }
    expect(creating(['shop.example.com']).success).toBe(true);
    expect(AddDomain.schema.safeParse({ ...ids, hostname: 'shop.example.com' }).success).toBe(true);
  });

  it('names the rule in the refusal', () => {
    const result = creating(['127.0.0.1']);
    expect(result.success ? '' : result.error.issues[0].message).toBe('must be a domain name, not an IP address');
  });

  it('lets any name a service holds be removed, even one an older version let in', () => {
    expect(RemoveDomain.schema.safeParse({ ...ids, hostname: '127.0.0.1' }).success).toBe(true);
  });
});
