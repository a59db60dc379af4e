import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { registryAuthFor } from './registry-credentials';

const OURS = '127.0.0.1:5123';

/** A data directory with the registry password files infra/scripts/registry.sh writes. */
const dataDirWith = (passwords: Record<string, string>) => {
  const dataDir = mkdtempSync(join(tmpdir(), 'slipway-registry-'));
  mkdirSync(join(dataDir, 'secrets', 'registry'), { recursive: true });
  for (const [identity, password] of Object.entries(passwords)) writeFileSync(join(dataDir, 'secrets', 'registry', identity), `${password}\n`);
  return dataDir;
};

describe('which registry gets our sign-in', () => {
  const dataDir = dataDirWith({ build: 'b-secret', deploy: 'd-secret' });

  it('signs in to our registry as the identity asked for, by image ref or by host', () => {
    expect(registryAuthFor('deploy', `${OURS}/shop/web:1.2@sha256:${'a'.repeat(64)}`, OURS, dataDir)).toEqual({ username: 'deploy', password: 'd-secret', serveraddress: OURS });
    expect(registryAuthFor('build', `${OURS}/shop/web`, OURS, dataDir)).toEqual({ username: 'build', password: 'b-secret', serveraddress: OURS });
    expect(registryAuthFor('build', OURS, OURS, dataDir)).toEqual({ username: 'build', password: 'b-secret', serveraddress: OURS });
  });

  it('gives another registry, Docker Hub and a ref without a registry host nothing', () => {
    expect(registryAuthFor('deploy', 'ghcr.io/acme/api:2', OURS, dataDir)).toBeUndefined();
    expect(registryAuthFor('deploy', '127.0.0.1:5000/shop/web:1', OURS, dataDir)).toBeUndefined();
    expect(registryAuthFor('deploy', `${OURS}.evil.example/shop/web:1`, OURS, dataDir)).toBeUndefined();
    expect(registryAuthFor('deploy', 'docker.io/library/nginx:1.27', OURS, dataDir)).toBeUndefined();
    expect(registryAuthFor('build', 'nginx:1.27', OURS, dataDir)).toBeUndefined();
    expect(registryAuthFor('build', 'library/nginx', OURS, dataDir)).toBeUndefined();
    expect(registryAuthFor('build', '', OURS, dataDir)).toBeUndefined();
  });

  it('gives nothing when the identity has no password file', () => {
    expect(registryAuthFor('deploy', `${OURS}/shop/web:1`, OURS, dataDirWith({ build: 'b-secret' }))).toBeUndefined();
  });

  it('takes ours from REGISTRY in the environment', () => {
    const before = process.env.REGISTRY;
    process.env.REGISTRY = OURS;
    try {
      expect(registryAuthFor('deploy', `${OURS}/shop/web:1`, undefined, dataDir)?.username).toBe('deploy');
      expect(registryAuthFor('deploy', '127.0.0.1:5000/shop/web:1', undefined, dataDir)).toBeUndefined();
    } finally {
      if (before === undefined) delete process.env.REGISTRY;
      else process.env.REGISTRY = before;
    }
  });
});
