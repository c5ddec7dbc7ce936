import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { it } from 'node:test';
import { DomainError } from '#contracts';
import { checkCaFingerprint, remoteAddress } from './ca-fingerprint.js';

it('accepts the CA whose SHA-256 the token names, refuses another with the Engine\'s text', () => {
  const pem = '-----BEGIN CERTIFICATE-----\nMIIB\n-----END CERTIFICATE-----\n';
  const hex = createHash('sha256').update(pem).digest('hex');
  checkCaFingerprint(pem, hex);
  assert.throws(() => checkCaFingerprint(`${pem} `, hex), (e: unknown) => e instanceof DomainError && e.message === `remote CA does not match fingerprint. Expected: ${hex}` && e.kind === 'System');
});

it('joins through the first remote address, port 2377 by default', () => {
  assert.equal(remoteAddress(['127.0.0.1:2400', '127.0.0.2:2377']), '127.0.0.1:2400');
  assert.equal(remoteAddress(['127.0.0.1']), '127.0.0.1:2377');
  assert.throws(() => remoteAddress([]), /at least 1 RemoteAddr is required to join/);
  assert.throws(() => remoteAddress(null), /at least 1 RemoteAddr is required to join/);
});
