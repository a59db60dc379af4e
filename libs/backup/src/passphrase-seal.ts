import { createCipheriv, createDecipheriv, randomBytes, scryptSync } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';

/** A secret sealed with a passphrase: scrypt derives the AES-256-GCM key, so the archive alone opens nothing. */
export interface SealedWithPassphrase {
  kdf: 'scrypt';
  N: number;
  r: number;
  p: number;
  salt: string;
  iv: string;
  tag: string;
  data: string;
}

const SCRYPT = { N: 2 ** 15, r: 8, p: 1 };
export const MIN_PASSPHRASE_LENGTH = 12;

const derive = (passphrase: string, salt: Buffer, { N, r, p }: typeof SCRYPT) => scryptSync(passphrase, salt, 32, { N, r, p, maxmem: 128 * N * r * 2 });

/** Where a backup part reads its passphrase when its environment has none (0600, root's). */
export const passphraseFile = (dataDir: string): string => join(dataDir, 'secrets', 'backup', 'passphrase');

/**
 * The passphrase from SLIPWAY_BACKUP_PASSPHRASE, else from the passphrase file, or a sentence that
 * says how to give one. The file is read on each call, so writing it needs no restart.
 */
export const configuredPassphrase = (dataDir: string, env: NodeJS.ProcessEnv = process.env): { passphrase: string } | { problem: string } => {
  const file = passphraseFile(dataDir);
  const fromEnv = env.SLIPWAY_BACKUP_PASSPHRASE ?? '';
  const how = `write one (${MIN_PASSPHRASE_LENGTH} characters or more) to ${file} (mode 0600), or set SLIPWAY_BACKUP_PASSPHRASE in Slipway's environment and restart Slipway`;
  let passphrase = fromEnv;
  if (!passphrase && existsSync(file)) {
    try {
      passphrase = readFileSync(file, 'utf8').replace(/\r?\n$/, '');
    } catch (err) {
      const code = (err as NodeJS.ErrnoException).code;
      return { problem: `The backup passphrase file ${file} cannot be read${code === 'EISDIR' ? ' (it is a directory)' : code === 'EACCES' ? ' (no permission)' : ''}: ${how}` };
    }
  }
  if (!passphrase) return { problem: `No backup passphrase is set, and the platform key in a backup is sealed with it: ${how}` };
  if (passphrase.length < MIN_PASSPHRASE_LENGTH) return { problem: `The backup passphrase ${fromEnv ? 'in SLIPWAY_BACKUP_PASSPHRASE' : `in ${file}`} is shorter than ${MIN_PASSPHRASE_LENGTH} characters: ${how}` };
  return { passphrase };
};

/** The passphrase from the environment (or the passphrase file), or an error that says how to give one. */
export const backupPassphrase = (env: NodeJS.ProcessEnv = process.env): string => {
  const found = configuredPassphrase(env.SLIPWAY_DATA_DIR ?? '/var/lib/slipway', env);
  if ('problem' in found) throw new Error(found.problem);
  return found.passphrase;
};

export const sealWithPassphrase = (secret: Buffer, passphrase: string): SealedWithPassphrase => {
  const salt = randomBytes(16);
  const iv = randomBytes(12);
  const cipher = createCipheriv('aes-256-gcm', derive(passphrase, salt, SCRYPT), iv);
  const data = Buffer.concat([cipher.update(secret), cipher.final()]);
  return { kdf: 'scrypt', ...SCRYPT, salt: salt.toString('base64'), iv: iv.toString('base64'), tag: cipher.getAuthTag().toString('base64'), data: data.toString('base64') };
};

export const openWithPassphrase = (sealed: SealedWithPassphrase, passphrase: string): Buffer => {
  const key = derive(passphrase, Buffer.from(sealed.salt, 'base64'), sealed);
  const decipher = createDecipheriv('aes-256-gcm', key, Buffer.from(sealed.iv, 'base64'));
  decipher.setAuthTag(Buffer.from(sealed.tag, 'base64'));
  try {
    return Buffer.concat([decipher.update(Buffer.from(sealed.data, 'base64')), decipher.final()]);
  } catch {
    throw new Error('The passphrase does not open this backup: give the SLIPWAY_BACKUP_PASSPHRASE the backup was made with');
  }
};
