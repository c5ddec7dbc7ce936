import { hkdfSync, randomBytes } from 'node:crypto';
import { PkiError } from '../pki-error.js';

const PREFIX = 'SWMKEY-1-';
/** Go's base64.RawStdEncoding: no padding; a length of 1 mod 4 cannot be decoded. */
const RAW_STD_BASE64 = /^[A-Za-z0-9+/]*$/;
const WRAPPING_KEY_INFO = 'swarmplane/unlock-key-wraps-kek/v1';

/** A new manager unlock key as the Engine prints it: `SWMKEY-1-` + 32 random bytes in unpadded standard base64. */
export function generateUnlockKey(): string {
  return `${PREFIX}${randomBytes(32).toString('base64').replace(/=+$/, '')}`;
}

/**
 * The key bytes of a human-readable unlock key, as swarmkit's ParseHumanReadableKey reads it: the
 * prefix, then unpadded standard base64 of any length (an empty key part parses, and is then simply
 * the wrong key). Throws `UnlockKeyMalformed` otherwise (the Engine's `invalid key string`).
 */
export function parseUnlockKey(text: string): Buffer {
  if (!text.startsWith(PREFIX)) throw malformed();
  const encoded = text.slice(PREFIX.length);
  if (!RAW_STD_BASE64.test(encoded) || encoded.length % 4 === 1) throw malformed();
  return Buffer.from(encoded, 'base64');
}

/**
 * The 32-byte key that seals the KEK file under an unlock key. The unlock key is 256 random bits,
 * so HKDF suffices (no password stretching): a wrong key is found by the seal's authentication.
 */
export function unlockWrappingKey(unlockKey: Buffer): Buffer {
  return Buffer.from(hkdfSync('sha256', unlockKey, Buffer.alloc(0), WRAPPING_KEY_INFO, 32));
}

function malformed(): PkiError {
  return new PkiError('UnlockKeyMalformed', 'invalid key string');
}
