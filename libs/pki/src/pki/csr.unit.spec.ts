import assert from 'node:assert/strict';
import { X509Certificate, createPrivateKey, createPublicKey } from 'node:crypto';
import { describe, it } from 'node:test';
import { isPkiError } from '../pki-error.js';
import { generateNodeKeyAndCsr, parseCsr } from './csr.js';
import { issueNodeCertificate } from './node-certificate.js';
import { opensslAvailable, opensslText } from './openssl.test-helper.js';
import { derToPem, pemToDer } from './pem.js';
import { createRootCa } from './root-ca.js';

const isInvalidCsr = (error: unknown): boolean => isPkiError(error, 'InvalidCsr');

describe('generateNodeKeyAndCsr and parseCsr', () => {
  const { keyPem, csrPem } = generateNodeKeyAndCsr();
  const publicKeyPem = createPublicKey(createPrivateKey(keyPem)).export({ type: 'spki', format: 'pem' }).toString();

  it('round-trips the public key', () => {
    assert.match(keyPem, /^-----BEGIN PRIVATE KEY-----\n/);
    assert.match(csrPem, /^-----BEGIN CERTIFICATE REQUEST-----\n/);
    assert.equal(parseCsr(csrPem).publicKeyPem, publicKeyPem);
  });

  it('feeds a certificate for the requesting key', () => {
    const root = createRootCa(new Date());
    const { certPem } = issueNodeCertificate({
      caCertPem: root.certPem,
      caKeyPem: root.keyPem,
      subjectPublicKey: parseCsr(csrPem).publicKeyPem,
      nodeId: 'node1',
      role: 'worker',
      clusterId: 'cluster1',
      now: new Date(),
      expiryMs: 3600_000,
    });
    assert.equal(new X509Certificate(certPem).publicKey.export({ type: 'spki', format: 'pem' }), publicKeyPem);
  });

  it('hands the SPKI DER of the request to issuing as it is', () => {
    const root = createRootCa(new Date());
    const { subjectPublicKeyInfoDer } = parseCsr(csrPem);
    assert.deepEqual(subjectPublicKeyInfoDer, createPublicKey(publicKeyPem).export({ type: 'spki', format: 'der' }));
    const issued = issueNodeCertificate({
      caCertPem: root.certPem,
      caKeyPem: root.keyPem,
      subjectPublicKey: subjectPublicKeyInfoDer,
      nodeId: 'node1',
      role: 'worker',
      clusterId: 'cluster1',
      now: new Date(),
      expiryMs: 3600_000 + 1234,
    });
    const certificate = new X509Certificate(issued.certPem);
    assert.equal(certificate.publicKey.export({ type: 'spki', format: 'pem' }), publicKeyPem);
    assert.equal(issued.serialNumber, certificate.serialNumber);
    assert.equal(issued.notAfter.toISOString(), new Date(certificate.validTo).toISOString());
  });

  it('rejects a request whose signature does not verify', () => {
    const der = pemToDer('CERTIFICATE REQUEST', csrPem);
    const tampered = Buffer.from(der);
    tampered[der.length - 5] = (tampered[der.length - 5] ?? 0) ^ 0x01;
    assert.throws(() => parseCsr(derToPem('CERTIFICATE REQUEST', tampered)), isInvalidCsr);
  });

  it("rejects a request signed by another key than the one it carries", () => {
    const other = generateNodeKeyAndCsr();
    const der = pemToDer('CERTIFICATE REQUEST', csrPem);
    const otherDer = pemToDer('CERTIFICATE REQUEST', other.csrPem);
    const publicKeyAt = der.indexOf(pemToDer('PUBLIC KEY', publicKeyPem));
    const otherKey = pemToDer('PUBLIC KEY', parseCsr(other.csrPem).publicKeyPem);
    const swapped = Buffer.from(der);
    otherKey.copy(swapped, publicKeyAt);
    assert.notDeepEqual(swapped, otherDer);
    assert.throws(() => parseCsr(derToPem('CERTIFICATE REQUEST', swapped)), isInvalidCsr);
  });

  it('rejects garbage', () => {
    assert.throws(() => parseCsr('not a csr'), isInvalidCsr);
    assert.throws(() => parseCsr(derToPem('CERTIFICATE REQUEST', Buffer.from([0x30, 0x03, 0x02, 0x01]))), isInvalidCsr);
  });

  it('is a valid PKCS#10 request according to openssl', { skip: !opensslAvailable }, () => {
    const text = opensslText('req', generateNodeKeyAndCsr('nd3v0nvbqm3lafdwdr0yn6xzu').csrPem);
    assert.match(text, /Subject: CN\s?=\s?nd3v0nvbqm3lafdwdr0yn6xzu/);
    assert.match(text, /Signature Algorithm: ecdsa-with-SHA256/);
    assert.match(text, /ASN1 OID: prime256v1/);
  });
});
