import type { ServiceSpec } from '@slipway/proto';

/** A valid service spec for tests: a git-built web app on port 3000 with an HTTP health check. */
export const exampleServiceSpec = (overrides: Partial<ServiceSpec> = {}): ServiceSpec => ({
  source: { kind: 'git', url: 'https://git.example/shop.git', ref: 'main' },
  port: 3000,
  env: [],
  replicas: 1,
  resources: { cpu: 0.5, memoryMb: 256 },
  healthCheck: { kind: 'http', path: '/' },
  domains: [],
  build: { dockerfilePath: 'Dockerfile' },
  security: { readOnlyRootFilesystem: false },
  ...overrides,
});
