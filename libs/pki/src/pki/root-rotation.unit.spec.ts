import assert from 'node:assert/strict';
import { X509Certificate, generateKeyPairSync } from 'node:crypto';
import { describe, it } from 'node:test';
import { signCertificate } from './certificate.js';
import { basicConstraints, keyUsage, KeyUsageBit } from './extensions.js';
import { randomSerial, spkiDer } from './keys.js';
import { distinguishedNameDer } from './names.js';
import { issueNodeCertificate } from './node-certificate.js';
import { opensslAvailable, opensslText } from './openssl.test-helper.js';
import { createRootCa } from './root-ca.js';
import { checkSigningCa, crossSignRoot, rootFacts } from './root-rotation.js';
import { verifyChain } from './verify.js';

const NOW = new Date('2026-12-04T19:25:02Z');
const DAY_MS = 24 * 3_600_000;

/** A self-signed root with chosen dates, key and CA flag, made with the project's own writer. */
function root(options: { days?: number; startDaysAgo?: number; ca?: boolean; rsa?: boolean } = {}) {
  const pair = options.rsa ? generateKeyPairSync('rsa', { modulusLength: 2048 }) : generateKeyPairSync('ec', { namedCurve: 'prime256v1' });
  const subject = distinguishedNameDer([{ type: 'CN', value: 'External Root' }]);
  const notBefore = new Date(NOW.getTime() - (options.startDaysAgo ?? 1) * DAY_MS);
  const certPem = signCertificate(
    {
      serial: randomSerial(),
      issuerDer: subject,
      subjectDer: subject,
      notBefore,
      notAfter: new Date(notBefore.getTime() + (options.days ?? 3650) * DAY_MS),
      subjectPublicKeyInfoDer: spkiDer(pair.publicKey),
      extensions: [keyUsage([KeyUsageBit.keyCertSign, KeyUsageBit.cRLSign]), basicConstraints(options.ca ?? true)],
    },
    pair.privateKey,
  );
  return { certPem, keyPem: pair.privateKey.export({ type: 'pkcs8', format: 'pem' }).toString() };
}

describe('a desired root (--ca-cert/--ca-key) is checked as swarmkit checks it', () => {
  it('accepts a valid ECDSA or RSA root with its key', () => {
    for (const rsa of [false, true]) {
      const { certPem, keyPem } = root({ rsa });
      assert.equal(checkSigningCa(certPem, keyPem, NOW), undefined);
    }
  });

  it('refuses, each with its reason: two certificates, expired, not yet valid, another key, encrypted key, less than a year left', () => {
    const good = root();
    const other = root();
    assert.deepEqual(checkSigningCa(good.certPem + other.certPem, good.keyPem, NOW), { reason: 'multiple-certificates' });
    const expired = root({ startDaysAgo: 400, days: 370 });
    const problem = checkSigningCa(expired.certPem, expired.keyPem, NOW);
    assert.equal(problem?.reason, 'expired');
    assert.equal(checkSigningCa(root({ startDaysAgo: -2 }).certPem, good.keyPem, NOW)?.reason, 'expired');
    assert.deepEqual(checkSigningCa(good.certPem, other.keyPem, NOW), { reason: 'key-mismatch' });
    assert.deepEqual(checkSigningCa(good.certPem, '-----BEGIN ENCRYPTED PRIVATE KEY-----\nAAAA\n-----END ENCRYPTED PRIVATE KEY-----\n', NOW), { reason: 'encrypted-key' });
    assert.deepEqual(checkSigningCa(good.certPem, '-----BEGIN PRIVATE KEY-----\nAAAA\n-----END PRIVATE KEY-----\n', NOW), { reason: 'malformed-key' });
    const year = root({ startDaysAgo: 1 / 1440, days: 365 }); // made a minute before the check, as openssl's was
    assert.deepEqual(checkSigningCa(year.certPem, year.keyPem, NOW), { reason: 'expires-too-soon' });
    const longer = root({ startDaysAgo: 0, days: 366 });
    assert.equal(checkSigningCa(longer.certPem, longer.keyPem, NOW), undefined);
  });

  it('says a root that is not a CA is not one (its cross-signing is refused by the caller)', () => {
    assert.equal(rootFacts(root({ ca: false }).certPem).isCa, false);
    assert.equal(rootFacts(root().certPem).isCa, true);
  });
});

describe('the cross-signed intermediate', () => {
  const current = createRootCa(NOW);
  const next = createRootCa(NOW);
  const intermediate = crossSignRoot(next.certPem, current.certPem, current.keyPem);
  const leaf = issueNodeCertificate({
    caCertPem: next.certPem,
    caKeyPem: next.keyPem,
    subjectPublicKey: generateKeyPairSync('ec', { namedCurve: 'prime256v1' }).publicKey,
    nodeId: 'node-1',
    role: 'worker',
    clusterId: 'cluster-1',
    now: NOW,
    expiryMs: 90 * DAY_MS,
  }).certPem;

  it("carries the new root's subject, key and validity, issued by the current root", () => {
    const x = new X509Certificate(intermediate);
    const n = new X509Certificate(next.certPem);
    assert.equal(x.subject, n.subject);
    assert.equal(x.issuer, new X509Certificate(current.certPem).subject);
    assert.ok(spkiDer(x.publicKey).equals(spkiDer(n.publicKey)));
    assert.deepEqual([x.validFrom, x.validTo], [n.validFrom, n.validTo]);
    assert.equal(x.ca, true);
    assert.ok(x.verify(new X509Certificate(current.certPem).publicKey));
  });

  it('lets a node that trusts only the current root verify a certificate of the new one, and one that trusts the new root verify it directly', () => {
    assert.equal(verifyChain(leaf + intermediate, current.certPem), true);
    assert.equal(verifyChain(leaf + intermediate, next.certPem), true);
    assert.equal(verifyChain(leaf, current.certPem), false);
    assert.equal(verifyChain(leaf + intermediate, createRootCa(NOW).certPem), false);
    assert.equal(verifyChain(leaf + intermediate, createRootCa(NOW).certPem + current.certPem), true, 'any of several roots');
  });

  it('is signed with SHA-256 with RSA when the current root is an RSA root', { skip: !opensslAvailable && 'openssl not on PATH' }, () => {
    const rsa = root({ rsa: true });
    const x = crossSignRoot(next.certPem, rsa.certPem, rsa.keyPem);
    assert.ok(new X509Certificate(x).verify(new X509Certificate(rsa.certPem).publicKey));
    assert.match(opensslText('x509', x), /Signature Algorithm: sha256WithRSAEncryption/);
  });
});
