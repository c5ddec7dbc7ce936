import assert from 'node:assert/strict';
import { generateKeyPairSync } from 'node:crypto';
import { describe, it } from 'node:test';
import { isPkiError } from '../pki-error.js';
import { publicKeyFromSpki, randomSerial, spkiDer, subjectPublicKeyInfoOf } from './keys.js';

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
    assert.throws(() => subjectPublicKeyInfoOf(bogus), (error) => isPkiError(error, 'InvalidKey'));
  });
});

describe('publicKeyFromSpki', () => {
  it('imports P-256, P-384 and RSA keys as the DER decoder does', () => {
    const pairs = [
      generateKeyPairSync('ec', { namedCurve: 'prime256v1' }),
      generateKeyPairSync('ec', { namedCurve: 'secp384r1' }),
      generateKeyPairSync('rsa', { modulusLength: 1024 }),
    ];
    for (const { publicKey } of pairs) {
      const der = publicKey.export({ type: 'spki', format: 'der' });
      assert.deepEqual(publicKeyFromSpki(der).export({ type: 'spki', format: 'der' }), der);
    }
  });

  it('refuses a P-256 point that is not on the curve', () => {
    const der = Buffer.from(generateKeyPairSync('ec', { namedCurve: 'prime256v1' }).publicKey.export({ type: 'spki', format: 'der' }));
    der[der.length - 1] = (der[der.length - 1] ?? 0) ^ 0x01;
    assert.throws(() => publicKeyFromSpki(der));
  });
});

describe('randomSerial', () => {
  it('gives positive 20-byte serials, all different, across refills of its pool', () => {
    const seen = new Set<string>();
    for (let i = 0; i < 1_000; i++) {
      const serial = randomSerial();
      assert.equal(serial.length, 20);
      assert.equal((serial[0] ?? 0) & 0x80, 0);
      seen.add(serial.toString('hex'));
    }
    assert.equal(seen.size, 1_000);
  });
});
