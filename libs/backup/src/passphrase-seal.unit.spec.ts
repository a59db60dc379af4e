import { randomBytes } from 'node:crypto';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { backupPassphrase, configuredPassphrase, openWithPassphrase, passphraseFile, sealWithPassphrase } from './passphrase-seal';

describe('the platform key sealed with a passphrase', () => {
  const key = randomBytes(32);
  const dataDir = mkdtempSync(join(tmpdir(), 'slipway-passphrase-'));
  afterAll(() => rmSync(dataDir, { recursive: true, force: true }));

  it('opens with the same passphrase, and the sealed form does not hold the key', () => {
    const sealed = sealWithPassphrase(key, 'correct horse battery');
    expect(openWithPassphrase(sealed, 'correct horse battery').equals(key)).toBe(true);
    expect(JSON.stringify(sealed)).not.toContain(key.toString('base64'));
  });

  it('refuses another passphrase in words that say what to do', () => {
    const sealed = sealWithPassphrase(key, 'correct horse battery');
    expect(() => openWithPassphrase(sealed, 'wrong horse battery')).toThrow(/does not open this backup: give the SLIPWAY_BACKUP_PASSPHRASE/);
  });

  it('asks for a passphrase of at least 12 characters, saying where to put it', () => {
    const env = { SLIPWAY_DATA_DIR: dataDir };
    expect(() => backupPassphrase(env)).toThrow(new RegExp(`No backup passphrase is set.*write one \\(12 characters or more\\) to ${passphraseFile(dataDir)}.*SLIPWAY_BACKUP_PASSPHRASE`));
    expect(() => backupPassphrase({ ...env, SLIPWAY_BACKUP_PASSPHRASE: 'short' })).toThrow(/in SLIPWAY_BACKUP_PASSPHRASE is shorter than 12 characters/);
    expect(backupPassphrase({ ...env, SLIPWAY_BACKUP_PASSPHRASE: 'long enough passphrase' })).toBe('long enough passphrase');
  });

  it('reads the passphrase file when the environment has none, the environment first', () => {
    mkdirSync(dirname(passphraseFile(dataDir)), { recursive: true });
    writeFileSync(passphraseFile(dataDir), 'from the file, long enough\n');
    expect(configuredPassphrase(dataDir, {})).toEqual({ passphrase: 'from the file, long enough' });
    expect(configuredPassphrase(dataDir, { SLIPWAY_BACKUP_PASSPHRASE: 'from the environment' })).toEqual({ passphrase: 'from the environment' });
    writeFileSync(passphraseFile(dataDir), 'short\n');
    expect(configuredPassphrase(dataDir, {})).toEqual({ problem: expect.stringMatching(/in .*passphrase is shorter than 12/) });
  });

  it('says so when the passphrase file cannot be read, rather than throwing', () => {
    const other = mkdtempSync(join(tmpdir(), 'slipway-passphrase-'));
    try {
      mkdirSync(passphraseFile(other), { recursive: true });
      expect(configuredPassphrase(other, {})).toEqual({ problem: expect.stringMatching(/passphrase file .* cannot be read \(it is a directory\): write one/) });
    } finally {
      rmSync(other, { recursive: true, force: true });
    }
  });
});
