import { generateKeyPairSync, randomBytes } from 'node:crypto';
import { mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { encryptedSecret } from '@slipway/proto';
import { SecretBox } from './secret-box';
import { NotSealedForThisService, sealFor, SecretOpener } from './sealed-for';

/** A keys directory as infra/scripts/secret-keys.sh writes it, for the given services. */
const keysFor = (...services: string[]) => {
  const dir = join(mkdtempSync(join(tmpdir(), 'slipway-keys-')), 'keys');
  mkdirSync(dir);
  for (const service of services) {
    const { privateKey, publicKey } = generateKeyPairSync('x25519');
    writeFileSync(join(dir, `${service}.key`), privateKey.export({ type: 'pkcs8', format: 'pem' }));
    writeFileSync(join(dir, `${service}.pub`), publicKey.export({ type: 'spki', format: 'pem' }));
  }
  return dir;
};
const pub = (dir: string, service: string) => readFileSync(join(dir, `${service}.pub`), 'utf8');

describe('secrets sealed for the one service that opens them', () => {
  it('opens with the opener key only; the sealed form never holds the value', () => {
    const dir = keysFor('deploy', 'build');
    const sealed = sealFor('deploy', 'postgres://u:hunter2@db/app', pub(dir, 'deploy'));
    expect(JSON.stringify(sealed)).not.toContain('hunter2');
    expect(encryptedSecret.parse(sealed)).toEqual(sealed);
    expect(SecretOpener.forService('deploy', dir).open(sealed)).toBe('postgres://u:hunter2@db/app');
    expect(sealFor('deploy', 'same', pub(dir, 'deploy')).data).not.toBe(sealFor('deploy', 'same', pub(dir, 'deploy')).data);
  });

  it('refuses another service, a relabelled secret, a tampered one, and a key pair from elsewhere', () => {
    const dir = keysFor('deploy', 'build');
    const sealed = sealFor('deploy', 'token', pub(dir, 'deploy'));
    expect(() => SecretOpener.forService('build', dir).open(sealed)).toThrow(NotSealedForThisService);
    expect(() => SecretOpener.forService('build', dir).open({ ...sealed, for: 'build' })).toThrow();
    expect(() => SecretOpener.forService('deploy', dir).open({ ...sealed, data: Buffer.from('other').toString('base64') })).toThrow();
    expect(() => SecretOpener.forService('deploy', keysFor('deploy')).open(sealed)).toThrow();
  });

  it('still opens secrets sealed under the old shared platform key, while it exists', () => {
    const dir = keysFor('deploy');
    const key = randomBytes(32);
    writeFileSync(join(dir, '..', 'platform.key'), key);
    const old = new SecretBox(key).seal('from before');
    expect(SecretOpener.forService('deploy', dir).open(old)).toBe('from before');
    expect(() => SecretOpener.forService('deploy', keysFor('deploy')).open(old)).toThrow(/old platform key, which is gone/);
  });
});
