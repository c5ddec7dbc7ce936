import assert from 'node:assert/strict';
import { generateKeyPairSync } from 'node:crypto';
import { describe, it } from 'node:test';
import { isPlatformError } from '../platform-error.js';
import { spkiDer, subjectPublicKeyInfoOf } from './keys.js';

describe('SubjectPublicKeyInfo extraction', () => {
  it("builds P-256 SPKI exactly as OpenSSL's encoder does", () => {
    for (let i = 0; i < 50; i++) {
      const { publicKey } = generateKeyPairSync('ec', { namedCurve: 'prime256v1' });
      assert.deepEqual(spkiDer(publicKey), publicKey.export({ type: 'spki', format: 'der' }));
    }
  });

  it('accepts PEM SPKI, other PEM keys and KeyObjects alike', () => {
    const { publicKey, privateKey } = generateKeyPairSync('ec', { namedCurve: 'secp384r1' });
    const expected = publicKey.export({ type: 'spki', format: 'der' });
    assert.deepEqual(subjectPublicKeyInfoOf(publicKey.export({ type: 'spki', format: 'pem' }).toString()), expected);
    assert.deepEqual(subjectPublicKeyInfoOf(privateKey.export({ type: 'sec1', format: 'pem' }).toString()), expected);
    assert.deepEqual(subjectPublicKeyInfoOf(privateKey), expected);
  });

  it('rejects text that is not a key', () => {
    const bogus = '-----BEGIN PUBLIC KEY-----\nAAAA\n-----END PUBLIC KEY-----\n';
    assert.throws(() => subjectPublicKeyInfoOf(bogus), (error) => isPlatformError(error, 'InvalidKey'));
  });
});
