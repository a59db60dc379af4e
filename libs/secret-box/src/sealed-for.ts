import { createCipheriv, createDecipheriv, createPrivateKey, createPublicKey, diffieHellman, generateKeyPairSync, hkdfSync, randomBytes, type KeyObject } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { EncryptedSecret, SealedSecret, SecretOpenerName as Opener } from '@slipway/proto';
import { SecretBox } from './secret-box';

const keysDir = () => join(process.env.SLIPWAY_DATA_DIR ?? '/var/lib/slipway', 'secrets', 'keys');
const ALG = 'x25519-aes-256-gcm';

/** The key that only `opener` and this one sealing can derive: ECDH, then HKDF bound to both public keys and the opener. */
const derive = (ours: KeyObject, theirs: KeyObject, epk: Buffer, recipient: Buffer, opener: Opener): Buffer =>
  Buffer.from(hkdfSync('sha256', diffieHellman({ privateKey: ours, publicKey: theirs }), Buffer.concat([epk, recipient]), `slipway-secret:${opener}`, 32));

const spki = (key: KeyObject): Buffer => key.export({ type: 'spki', format: 'der' });

/**
 * Seals a value for the one service that opens it (an ephemeral X25519 key agreed with the opener's
 * public key, AES-256-GCM): the sealer cannot open what it sealed, nor can any other service. The
 * gateway seals what people type, so no secret crosses the bus or lands in an event in clear.
 */
export const sealFor = (opener: Opener, plaintext: string, publicKeyPem = readFileSync(join(keysDir(), `${opener}.pub`), 'utf8')): SealedSecret => {
  const recipient = createPublicKey(publicKeyPem);
  const ephemeral = generateKeyPairSync('x25519');
  const epk = spki(ephemeral.publicKey);
  const iv = randomBytes(12);
  const cipher = createCipheriv('aes-256-gcm', derive(ephemeral.privateKey, recipient, epk, spki(recipient), opener), iv);
  cipher.setAAD(Buffer.from(opener));
  const data = Buffer.concat([cipher.update(plaintext, 'utf8'), cipher.final()]);
  return { alg: ALG, for: opener, epk: epk.toString('base64'), iv: iv.toString('base64'), tag: cipher.getAuthTag().toString('base64'), data: data.toString('base64') };
};

export class NotSealedForThisService extends Error {
  constructor(opener: Opener, sealedFor: string) {
    super(`This secret was sealed for the ${sealedFor} service, not for ${opener}`);
  }
}

/**
 * Opens what was sealed for one service, with its private key (`$SLIPWAY_DATA_DIR/secrets/keys/<service>.key`,
 * written by infra/scripts/secret-keys.sh, read by that service alone). Secrets sealed before
 * per-service keys (AES-256-GCM under the shared platform key) still open while that key exists.
 */
export class SecretOpener {
  private legacy?: SecretBox;

  constructor(
    readonly opener: Opener,
    private readonly privateKey: KeyObject,
    private readonly legacyKeyFile?: string,
  ) {}

  static forService(opener: Opener, dir = keysDir()): SecretOpener {
    const legacy = join(dir, '..', 'platform.key');
    return new SecretOpener(opener, createPrivateKey(readFileSync(join(dir, `${opener}.key`))), existsSync(legacy) ? legacy : undefined);
  }

  open(secret: EncryptedSecret): string {
    if (secret.alg === 'aes-256-gcm') {
      if (!this.legacyKeyFile) throw new Error('This secret was sealed under the old platform key, which is gone: set it again');
      this.legacy ??= SecretBox.fromKeyFile(this.legacyKeyFile);
      return this.legacy.open(secret);
    }
    if (secret.for !== this.opener) throw new NotSealedForThisService(this.opener, secret.for);
    const epk = Buffer.from(secret.epk, 'base64');
    const ours = createPublicKey(this.privateKey);
    const key = derive(this.privateKey, createPublicKey({ key: epk, format: 'der', type: 'spki' }), epk, spki(ours), this.opener);
    const decipher = createDecipheriv('aes-256-gcm', key, Buffer.from(secret.iv, 'base64'));
    decipher.setAAD(Buffer.from(this.opener));
    decipher.setAuthTag(Buffer.from(secret.tag, 'base64'));
    return Buffer.concat([decipher.update(Buffer.from(secret.data, 'base64')), decipher.final()]).toString('utf8');
  }
}
