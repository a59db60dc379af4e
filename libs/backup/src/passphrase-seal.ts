import { createCipheriv, createDecipheriv, randomBytes, scryptSync } from 'node:crypto';

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

/** The passphrase from the environment, or a sentence that says how to give one. */
export const backupPassphrase = (env: NodeJS.ProcessEnv = process.env): string => {
  const passphrase = env.SLIPWAY_BACKUP_PASSPHRASE ?? '';
  if (!passphrase) throw new Error('Set SLIPWAY_BACKUP_PASSPHRASE: the platform key in a backup is sealed with it, and a restore needs the same passphrase');
  if (passphrase.length < MIN_PASSPHRASE_LENGTH) throw new Error(`SLIPWAY_BACKUP_PASSPHRASE must be at least ${MIN_PASSPHRASE_LENGTH} characters`);
  return passphrase;
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
