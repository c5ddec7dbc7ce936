import assert from 'node:assert/strict';
import { createHash, randomBytes } from 'node:crypto';
import { describe, it } from 'node:test';
import { isPkiError } from '../pki-error.js';
import { kekId, openSecret, sealSecret, secretFingerprint } from './seal.js';

const kek = randomBytes(32);
const otherKek = randomBytes(32);
const unsealFailed = (error: unknown): boolean => isPkiError(error, 'SecretUnsealFailed');

describe('sealSecret and openSecret', () => {
  it('round-trips text, with and without associated data', () => {
    const text = 'SWMTKN secret ✓ with unicode';
    assert.equal(openSecret(sealSecret(text, kek), kek), text);
    assert.equal(openSecret(sealSecret(text, kek, 'stream-a'), kek, 'stream-a'), text);
    assert.equal(openSecret(sealSecret('', kek), kek), '');
  });

  it('records the algorithm, the key id and base64 fields', () => {
    const sealed = sealSecret('x', kek);
    assert.equal(sealed.alg, 'A256GCM');
    assert.equal(sealed.kid, createHash('sha256').update(kek).digest('hex').slice(0, 8));
    assert.equal(Buffer.from(sealed.iv, 'base64').length, 12);
    assert.equal(Buffer.from(sealed.tag, 'base64').length, 16);
    assert.equal(Buffer.from(sealed.ct, 'base64').length, 1);
  });

  it('uses a fresh IV every time', () => {
    assert.notEqual(sealSecret('same', kek).iv, sealSecret('same', kek).iv);
  });

  it('refuses the wrong key, the wrong associated data and tampering', () => {
    const sealed = sealSecret('secret', kek, 'stream-a');
    assert.throws(() => openSecret(sealed, otherKek, 'stream-a'), unsealFailed);
    assert.throws(() => openSecret(sealed, kek, 'stream-b'), unsealFailed);
    assert.throws(() => openSecret(sealed, kek), unsealFailed);
    const flipped = Buffer.from(sealed.ct, 'base64');
    flipped[0] = (flipped[0] ?? 0) ^ 1;
    assert.throws(() => openSecret({ ...sealed, ct: flipped.toString('base64') }, kek, 'stream-a'), unsealFailed);
    assert.throws(() => openSecret({ ...sealed, tag: sealed.iv }, kek, 'stream-a'), unsealFailed);
  });

  it('insists on a 32-byte key', () => {
    assert.throws(() => sealSecret('x', randomBytes(16)), (error) => isPkiError(error, 'KekFileInvalid'));
  });
});

describe('secretFingerprint', () => {
  it('is a keyed SHA-256, stable under one KEK', () => {
    const fingerprint = secretFingerprint('token', kek);
    assert.match(fingerprint, /^sha256:[0-9a-f]{64}$/);
    assert.equal(secretFingerprint('token', kek), fingerprint);
    assert.notEqual(secretFingerprint('token2', kek), fingerprint);
  });

  it('cannot be recomputed without the KEK', () => {
    assert.notEqual(secretFingerprint('token', otherKek), secretFingerprint('token', kek));
    assert.notEqual(secretFingerprint('token', kek), `sha256:${createHash('sha256').update('token').digest('hex')}`);
  });

  it('gives the key id the sealed secret records', () => {
    assert.equal(kekId(kek), sealSecret('x', kek).kid);
  });
});
