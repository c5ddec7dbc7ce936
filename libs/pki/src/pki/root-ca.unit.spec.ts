import assert from 'node:assert/strict';
import { X509Certificate, createPrivateKey, createPublicKey } from 'node:crypto';
import { describe, it } from 'node:test';
import { opensslAvailable, opensslText, opensslVerify } from './openssl.test-helper.js';
import { createRootCa } from './root-ca.js';

const NOW = new Date('2026-11-26T22:57:40.123Z');
const root = createRootCa(NOW);
const certificate = new X509Certificate(root.certPem);

describe('createRootCa', () => {
  it('is self-signed and verifies with its own key', () => {
    assert.equal(certificate.checkIssued(certificate), true);
    assert.equal(certificate.verify(certificate.publicKey), true);
    assert.equal(certificate.ca, true);
  });

  it('names only CN=swarm-ca as subject and issuer', () => {
    assert.equal(certificate.subject, 'CN=swarm-ca');
    assert.equal(certificate.issuer, 'CN=swarm-ca');
    assert.equal(root.certIssuerSubjectB64, 'MBMxETAPBgNVBAMTCHN3YXJtLWNh');
  });

  it('backdates 5 minutes from the rounded minute and lasts 7300 days', () => {
    const notBefore = new Date(certificate.validFrom);
    const notAfter = new Date(certificate.validTo);
    assert.equal(notBefore.toISOString(), '2026-11-26T22:53:00.000Z');
    assert.equal(notAfter.toISOString(), '2046-11-21T22:53:00.000Z');
  });

  it('uses a random serial below 2^159 (20 bytes, top bit cleared)', () => {
    const serial = BigInt(`0x${certificate.serialNumber}`);
    assert.ok(serial > 0n && serial < 1n << 159n);
    assert.notEqual(createRootCa(NOW).certPem, root.certPem);
  });

  it('returns a PKCS#8 P-256 key matching the certificate', () => {
    assert.match(root.keyPem, /^-----BEGIN PRIVATE KEY-----\n/);
    const key = createPrivateKey(root.keyPem);
    assert.equal(key.asymmetricKeyDetails?.namedCurve, 'prime256v1');
    assert.equal(createPublicKey(key).export({ type: 'spki', format: 'der' }).toString('base64'), root.certIssuerPublicKeyB64);
  });

  it('exposes the SubjectPublicKeyInfo as Docker does', () => {
    assert.ok(root.certIssuerPublicKeyB64.startsWith('MFkwEwYHKoZIzj0CAQYIKoZIzj0DAQcDQgAE'));
    const fromCertificate = certificate.publicKey.export({ type: 'spki', format: 'der' }).toString('base64');
    assert.equal(root.certIssuerPublicKeyB64, fromCertificate);
  });

  it('writes PEM with 64-character lines and a trailing newline', () => {
    const lines = root.certPem.split('\n');
    assert.equal(lines.at(-1), '');
    for (const line of lines.slice(1, -3)) assert.equal(line.length, 64);
  });

  it('is shaped like Docker\'s root CA according to openssl', { skip: !opensslAvailable }, () => {
    const text = opensslText('x509', root.certPem);
    assert.match(text, /Version: 3 \(0x2\)/);
    assert.match(text, /Signature Algorithm: ecdsa-with-SHA256/);
    assert.match(text, /ASN1 OID: prime256v1/);
    assert.match(text, /X509v3 Key Usage: critical\s+Certificate Sign, CRL Sign/);
    assert.match(text, /X509v3 Basic Constraints: critical\s+CA:TRUE/);
    assert.match(text, /X509v3 Subject Key Identifier:/);
    assert.doesNotMatch(text, /Authority Key Identifier/);
    const verification = opensslVerify(root.certPem, root.certPem, Math.floor(NOW.getTime() / 1000));
    assert.ok(verification.ok, verification.output);
  });
});
