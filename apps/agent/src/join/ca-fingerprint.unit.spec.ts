import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { it } from 'node:test';
import { DomainError } from '#contracts';
import { checkCaFingerprint } from './ca-fingerprint.js';

it("accepts the CA whose SHA-256 the token names, refuses another with the Engine's text", () => {
  const pem = '-----BEGIN CERTIFICATE-----\nMIIB\n-----END CERTIFICATE-----\n';
  const hex = createHash('sha256').update(pem).digest('hex');
  checkCaFingerprint(pem, hex);
  assert.throws(
    () => checkCaFingerprint(pem.trimEnd(), hex),
    (e: unknown) => e instanceof DomainError && e.kind === 'System' && e.message === `remote CA does not match fingerprint. Expected: ${hex}`,
  );
});
