import { X509Certificate, createPrivateKey, type KeyObject } from 'node:crypto';
import { loadCaMaterial, readCertificateParts } from './ca-material.js';
import { signCertificate } from './certificate.js';
import { DerTag, bytesOf, childrenOf, contentOf, expectTag, oidOf, readSingleElement } from './der-read.js';
import { authorityKeyIdentifier, basicConstraints, keyUsage, KeyUsageBit, subjectKeyIdentifier } from './extensions.js';
import { keyIdentifier, randomSerial, spkiDer, toPublicKey } from './keys.js';
import { pemToDer } from './pem.js';

/** The parts of a root certificate the swarm shows and signs with (`TLSInfo`). */
export interface RootFacts {
  /** Base64 DER of the subject Name (`CertIssuerSubject`). */
  readonly certIssuerSubjectB64: string;
  /** Base64 DER SubjectPublicKeyInfo (`CertIssuerPublicKey`). */
  readonly certIssuerPublicKeyB64: string;
  readonly notBefore: Date;
  readonly notAfter: Date;
  readonly isCa: boolean;
}

/** Why a desired root (`--ca-cert`/`--ca-key`) cannot be used, as swarmkit tells each case apart. */
export type SigningCaProblem =
  | { readonly reason: 'multiple-certificates' }
  | { readonly reason: 'not-a-certificate' }
  | { readonly reason: 'expired'; readonly now: Date; readonly notBefore: Date; readonly notAfter: Date }
  | { readonly reason: 'not-self-signed' }
  | { readonly reason: 'weak-signature'; readonly algorithm: string }
  | { readonly reason: 'expires-too-soon' }
  | { readonly reason: 'encrypted-key' }
  | { readonly reason: 'malformed-key' }
  | { readonly reason: 'key-mismatch' };

/** swarmkit's minimum remaining life of a new root: one year. */
const MIN_ROOT_LIFE_MS = 365 * 24 * 3600 * 1000;

/** Signature algorithms Go refuses for a root (the names Go prints). */
const WEAK_SIGNATURES: Record<string, string> = {
  '1.2.840.10045.4.1': 'ECDSA-SHA1',
  '1.2.840.113549.1.1.5': 'SHA1-RSA',
  '1.2.840.113549.1.1.4': 'MD5-RSA',
  '1.2.840.10040.4.3': 'DSA-SHA1',
};

const CERT_BLOCK = /-----BEGIN CERTIFICATE-----[\s\S]*?-----END CERTIFICATE-----/g;

export function rootFacts(certPem: string): RootFacts {
  const { der, subject, spki } = readCertificateParts(certPem);
  const x509 = new X509Certificate(certPem);
  return {
    certIssuerSubjectB64: bytesOf(der, subject).toString('base64'),
    certIssuerPublicKeyB64: bytesOf(der, spki).toString('base64'),
    notBefore: new Date(x509.validFrom),
    notAfter: new Date(x509.validTo),
    isCa: x509.ca,
  };
}

/**
 * Checks a desired root and its key in swarmkit's order: one certificate, valid now, self-signed,
 * not signed with SHA-1, valid for more than a year from now, an unencrypted key that parses and
 * belongs to it. Returns the first problem, or undefined.
 */
export function checkSigningCa(certPem: string, keyPem: string, now: Date): SigningCaProblem | undefined {
  const blocks = certPem.match(CERT_BLOCK) ?? [];
  if (blocks.length > 1) return { reason: 'multiple-certificates' };
  let x509: X509Certificate;
  try {
    x509 = new X509Certificate(certPem);
  } catch {
    return { reason: 'not-a-certificate' };
  }
  const notBefore = new Date(x509.validFrom);
  const notAfter = new Date(x509.validTo);
  if (now < notBefore || now > notAfter) return { reason: 'expired', now, notBefore, notAfter };
  if (!x509.checkIssued(x509) || !x509.verify(x509.publicKey)) return { reason: 'not-self-signed' };
  const algorithm = signatureAlgorithmOid(certPem);
  const weak = WEAK_SIGNATURES[algorithm];
  if (weak) return { reason: 'weak-signature', algorithm: weak };
  if (notAfter.getTime() < now.getTime() + MIN_ROOT_LIFE_MS) return { reason: 'expires-too-soon' };
  if (/ENCRYPTED/.test(keyPem)) return { reason: 'encrypted-key' };
  let key: KeyObject;
  try {
    key = createPrivateKey(keyPem);
  } catch {
    return { reason: 'malformed-key' };
  }
  if (!spkiDer(toPublicKey(key)).equals(spkiDer(x509.publicKey))) return { reason: 'key-mismatch' };
  return undefined;
}

/** The certificate's outer signature algorithm OID. */
function signatureAlgorithmOid(certPem: string): string {
  const der = pemToDer('CERTIFICATE', certPem);
  const algorithm = expectTag(childrenOf(der, readSingleElement(der))[1], DerTag.sequence, 'signatureAlgorithm');
  return oidOf(contentOf(der, expectTag(childrenOf(der, algorithm)[0], DerTag.oid, 'algorithm')));
}

/**
 * The intermediate of a root rotation: the new root's subject and key, issued by the current root
 * with the new root's validity, so that a node that still trusts only the current root verifies a
 * certificate of the new one through it (swarmkit's cross-signed CA certificate). The caller
 * checks that the new root is a CA first.
 */
export function crossSignRoot(newRootCertPem: string, issuerCertPem: string, issuerKeyPem: string): string {
  const issuer = loadCaMaterial(issuerCertPem, issuerKeyPem);
  const parts = readCertificateParts(newRootCertPem);
  const subjectDer = bytesOf(parts.der, parts.subject);
  const spki = bytesOf(parts.der, parts.spki);
  const facts = rootFacts(newRootCertPem);
  return signCertificate(
    {
      serial: randomSerial(),
      issuerDer: issuer.subjectDer,
      subjectDer,
      notBefore: facts.notBefore,
      notAfter: facts.notAfter,
      subjectPublicKeyInfoDer: spki,
      extensions: [
        keyUsage([KeyUsageBit.keyCertSign, KeyUsageBit.cRLSign]),
        basicConstraints(true),
        subjectKeyIdentifier(keyIdentifier(spki)),
        authorityKeyIdentifier(issuer.keyId),
      ],
    },
    issuer.signingKey,
  );
}

/** The PEM with each line end `\n`, surrounding blank space trimmed and one final newline: how swarmkit compares roots. */
export function normalizePem(pem: string): string {
  return `${pem.replace(/\r\n/g, '\n').trim()}\n`;
}
