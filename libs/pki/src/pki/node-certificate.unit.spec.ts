import assert from 'node:assert/strict';
import { X509Certificate, generateKeyPairSync } from 'node:crypto';
import { describe, it } from 'node:test';
import { isPkiError } from '../pki-error.js';
import { issueNodeCertificate, type IssueNodeCertificateInput } from './node-certificate.js';
import { opensslAvailable, opensslText, opensslVerify } from './openssl.test-helper.js';
import { createRootCa } from './root-ca.js';
import { verifyCertificate } from './verify.js';

const NOW = new Date('2026-11-26T22:57:40.000Z');
const NINETY_DAYS_MS = 90 * 24 * 3600 * 1000;
const root = createRootCa(NOW);
const nodeKeys = generateKeyPairSync('ec', { namedCurve: 'prime256v1' });
const nodePublicKeyPem = nodeKeys.publicKey.export({ type: 'spki', format: 'pem' }).toString();

function issue(overrides: Partial<IssueNodeCertificateInput> = {}): X509Certificate {
  const { certPem } = issueNodeCertificate({
    caCertPem: root.certPem,
    caKeyPem: root.keyPem,
    subjectPublicKey: nodePublicKeyPem,
    nodeId: 'nd3v0nvbqm3lafdwdr0yn6xzu',
    role: 'manager',
    clusterId: 'h6c2ivgu5zokqr4lmhulpwcl1',
    now: NOW,
    expiryMs: NINETY_DAYS_MS,
    ...overrides,
  });
  return new X509Certificate(certPem);
}

describe('issueNodeCertificate', () => {
  const manager = issue();

  it('verifies against the root CA', () => {
    assert.equal(manager.checkIssued(new X509Certificate(root.certPem)), true);
    assert.equal(verifyCertificate(manager.toString(), root.certPem, NOW), true);
    assert.equal(verifyCertificate(manager.toString(), createRootCa(NOW).certPem), false);
  });

  it('names the node, its role and its cluster', () => {
    assert.equal(manager.subject, 'O=h6c2ivgu5zokqr4lmhulpwcl1\nOU=swarm-manager\nCN=nd3v0nvbqm3lafdwdr0yn6xzu');
    assert.equal(manager.issuer, 'CN=swarm-ca');
    assert.equal(manager.ca, false);
  });

  it('lists the role, the node id and swarm-ca (managers only) as DNS names', () => {
    assert.equal(manager.subjectAltName, 'DNS:swarm-manager, DNS:nd3v0nvbqm3lafdwdr0yn6xzu, DNS:swarm-ca');
    const worker = issue({ role: 'worker' });
    assert.equal(worker.subjectAltName, 'DNS:swarm-worker, DNS:nd3v0nvbqm3lafdwdr0yn6xzu');
    assert.match(worker.subject, /OU=swarm-worker/);
  });

  it('backdates one hour from the rounded minute; expires the expiry after that minute', () => {
    assert.equal(new Date(manager.validFrom).toISOString(), '2026-11-26T21:58:00.000Z');
    assert.equal(new Date(manager.validTo).toISOString(), '2027-02-24T22:58:00.000Z');
  });

  it('certifies the given public key, whether PEM or KeyObject', () => {
    assert.equal(manager.publicKey.export({ type: 'spki', format: 'pem' }), nodePublicKeyPem);
    const fromKeyObject = issue({ subjectPublicKey: nodeKeys.privateKey });
    assert.equal(fromKeyObject.publicKey.export({ type: 'spki', format: 'pem' }), nodePublicKeyPem);
  });

  it('refuses a CA key that does not belong to the CA certificate', () => {
    assert.throws(() => issue({ caKeyPem: createRootCa(NOW).keyPem }), (error) => isPkiError(error, 'InvalidKey'));
  });

  it('carries the TLS extensions swarmkit sets, according to openssl', { skip: !opensslAvailable }, () => {
    const text = opensslText('x509', manager.toString());
    assert.match(text, /Signature Algorithm: ecdsa-with-SHA256/);
    assert.match(text, /X509v3 Key Usage: critical\s+Digital Signature, Key Encipherment/);
    assert.match(text, /X509v3 Extended Key Usage:\s+TLS Web Server Authentication, TLS Web Client Authentication/);
    assert.match(text, /X509v3 Basic Constraints: critical\s+CA:FALSE/);
    const rootKeyId = /Subject Key Identifier:\s+([0-9A-F:]+)/.exec(opensslText('x509', root.certPem))?.[1];
    assert.ok(rootKeyId);
    assert.match(text, new RegExp(`Authority Key Identifier:\\s+(keyid:)?${rootKeyId}`));
    const verification = opensslVerify(root.certPem, manager.toString(), Math.floor(NOW.getTime() / 1000));
    assert.ok(verification.ok, verification.output);
  });

  it('issues quickly (prints certificates per second)', (context) => {
    issue();
    const count = 500;
    const started = process.hrtime.bigint();
    for (let i = 0; i < count; i++) issue({ nodeId: `node${i}` });
    const elapsedMs = Number(process.hrtime.bigint() - started) / 1e6;
    const perSecond = Math.round((count * 1000) / elapsedMs);
    context.diagnostic(`issued ${count} node certificates in ${elapsedMs.toFixed(1)} ms: ${perSecond}/s, ${(elapsedMs / count).toFixed(3)} ms each`);
  });
});
