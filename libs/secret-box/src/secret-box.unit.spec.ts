import { randomBytes } from 'node:crypto';
import { mkdtempSync, readFileSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { SecretBox } from './secret-box';

describe('SecretBox', () => {
  it('seals so that the ciphertext never contains the secret, and opens it back', () => {
    const box = new SecretBox(randomBytes(32));
    const sealed = box.seal('ghp_supersecrettoken');
    expect(JSON.stringify(sealed)).not.toContain('supersecret');
    expect(box.open(sealed)).toBe('ghp_supersecrettoken');
    expect(box.seal('same').data).not.toBe(box.seal('same').data);
  });

  it('refuses a tampered secret or a different key', () => {
    const box = new SecretBox(randomBytes(32));
    const sealed = box.seal('token');
    expect(() => box.open({ ...sealed, data: Buffer.from('other').toString('base64') })).toThrow();
    expect(() => new SecretBox(randomBytes(32)).open(sealed)).toThrow();
  });

  it('creates the key file once, private to its owner', () => {
    const path = join(mkdtempSync(join(tmpdir(), 'slipway-key-')), 'secrets', 'platform.key');
    const sealed = SecretBox.fromKeyFile(path).seal('x');
    expect(statSync(path).mode & 0o777).toBe(0o600);
    const key = readFileSync(path);
    expect(SecretBox.fromKeyFile(path).open(sealed)).toBe('x');
    expect(readFileSync(path)).toEqual(key);
  });
});
