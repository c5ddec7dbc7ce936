import { randomBytes } from 'node:crypto';
import { formatJoinToken, secretBase36, type PreparedSecret } from '#domain';
import { sealSecret, secretFingerprint } from '#pki';

/** A fresh 128-bit token secret, sealed for the log, with the fingerprint of the whole token. */
export function prepareSecret(caDigest: string, kek: Buffer, stream: string): PreparedSecret {
  const secret = secretBase36(randomBytes(16));
  return {
    sealed: sealSecret(secret, kek, stream),
    fingerprint: secretFingerprint(formatJoinToken(caDigest, secret), kek),
  };
}
