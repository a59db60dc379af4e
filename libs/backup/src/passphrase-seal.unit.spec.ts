import { randomBytes } from 'node:crypto';
import { backupPassphrase, openWithPassphrase, sealWithPassphrase } from './passphrase-seal';

describe('the platform key sealed with a passphrase', () => {
  const key = randomBytes(32);

  it('opens with the same passphrase, and the sealed form does not hold the key', () => {
    const sealed = sealWithPassphrase(key, 'correct horse battery');
    expect(openWithPassphrase(sealed, 'correct horse battery').equals(key)).toBe(true);
    expect(JSON.stringify(sealed)).not.toContain(key.toString('base64'));
  });

  it('refuses another passphrase in words that say what to do', () => {
    const sealed = sealWithPassphrase(key, 'correct horse battery');
    expect(() => openWithPassphrase(sealed, 'wrong horse battery')).toThrow(/does not open this backup: give the SLIPWAY_BACKUP_PASSPHRASE/);
  });

  it('asks for a passphrase of at least 12 characters', () => {
    expect(() => backupPassphrase({})).toThrow(/Set SLIPWAY_BACKUP_PASSPHRASE/);
    expect(() => backupPassphrase({ SLIPWAY_BACKUP_PASSPHRASE: 'short' })).toThrow(/at least 12 characters/);
    expect(backupPassphrase({ SLIPWAY_BACKUP_PASSPHRASE: 'long enough passphrase' })).toBe('long enough passphrase');
  });
});
