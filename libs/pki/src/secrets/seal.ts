import { createCipheriv, createDecipheriv, createHash, createHmac, hkdfSync, randomBytes } from 'node:crypto';
import type { SealedSecret } from '#contracts';
import { PkiError } from '../pki-error.js';

export type { SealedSecret } from '#contracts';

const KEY_BYTES = 32;
const IV_BYTES = 12;
const TAG_BYTES = 16;
const FINGERPRINT_KEY_INFO = 'swarmplane/secret-fingerprint/v1';

/** The key id a sealed secret records: the first 8 hex digits of SHA-256(kek). */
export function kekId(kek: Buffer): string {
  return createHash('sha256').update(assertKek(kek)).digest('hex').slice(0, 8);
}

/**
 * AES-256-GCM with a fresh random 96-bit IV. `aad` binds the ciphertext to its context (e.g. the
 * secret's id): opening with a different `aad` fails.
 */
export function sealSecret(plaintext: string, kek: Buffer, aad?: string): SealedSecret {
  const iv = randomBytes(IV_BYTES);
  const cipher = createCipheriv('aes-256-gcm', assertKek(kek), iv, { authTagLength: TAG_BYTES });
  if (aad !== undefined) cipher.setAAD(Buffer.from(aad, 'utf8'));
  const ct = Buffer.concat([cipher.update(plaintext, 'utf8'), cipher.final()]);
  return {
    alg: 'A256GCM',
    kid: kekId(kek),
    iv: iv.toString('base64'),
    ct: ct.toString('base64'),
    tag: cipher.getAuthTag().toString('base64'),
  };
}

/** Throws `SecretUnsealFailed` on a wrong key, wrong `aad` or any tampering. */
export function openSecret(sealed: SealedSecret, kek: Buffer, aad?: string): string {
  if (sealed.alg !== 'A256GCM') throw unsealFailed(`unsupported algorithm ${String(sealed.alg)}`);
  if (sealed.kid !== kekId(kek)) throw unsealFailed(`sealed under key ${sealed.kid}, not ${kekId(kek)}`);
  const iv = Buffer.from(sealed.iv, 'base64');
  const tag = Buffer.from(sealed.tag, 'base64');
  if (iv.length !== IV_BYTES || tag.length !== TAG_BYTES) throw unsealFailed('malformed iv or tag');
  try {
    const decipher = createDecipheriv('aes-256-gcm', kek, iv, { authTagLength: TAG_BYTES });
    if (aad !== undefined) decipher.setAAD(Buffer.from(aad, 'utf8'));
    decipher.setAuthTag(tag);
    return Buffer.concat([decipher.update(Buffer.from(sealed.ct, 'base64')), decipher.final()]).toString('utf8');
  } catch (error) {
    throw unsealFailed('authentication failed', error);
  }
}

/**
 * `sha256:` + hex HMAC-SHA256 of the plaintext under a key derived from the KEK with HKDF-SHA256.
 * Keyed so that a fingerprint stored in an event cannot be brute-forced offline without the KEK.
 * Hazard: fingerprints change when the KEK changes; compare only fingerprints made under one KEK.
 */
export function secretFingerprint(plaintext: string, kek: Buffer): string {
  const mac = createHmac('sha256', fingerprintKey(kek)).update(plaintext, 'utf8').digest('hex');
  return `sha256:${mac}`;
}

function fingerprintKey(kek: Buffer): Buffer {
  return Buffer.from(hkdfSync('sha256', assertKek(kek), Buffer.alloc(0), FINGERPRINT_KEY_INFO, KEY_BYTES));
}

function assertKek(kek: Buffer): Buffer {
  if (kek.length !== KEY_BYTES) throw new PkiError('KekFileInvalid', `a KEK must be ${KEY_BYTES} bytes, got ${kek.length}`);
  return kek;
}

function unsealFailed(reason: string, cause?: unknown): PkiError {
  return new PkiError('SecretUnsealFailed', `cannot open sealed secret: ${reason}`, { cause });
}
