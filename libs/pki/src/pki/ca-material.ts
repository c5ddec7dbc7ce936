import type { KeyObject } from 'node:crypto';
import { PkiError } from '../pki-error.js';
import { DerTag, bytesOf, childrenOf, contentOf, expectTag, oidOf, readElement, readSingleElement, type DerElement } from './der-read.js';
import { keyIdentifier, spkiDer, toPrivateKey, toPublicKey } from './keys.js';
import { Oid } from './oids.js';
import { pemToDer } from './pem.js';

/** What issuing needs from a CA certificate and its key. */
export interface CaMaterial {
  readonly subjectDer: Buffer;
  readonly subjectPublicKeyInfoDer: Buffer;
  /** The CA's SubjectKeyIdentifier (or, when absent, the RFC 5280 method 1 digest). */
  readonly keyId: Buffer;
  readonly signingKey: KeyObject;
}

let lastLoaded: { certPem: string; keyPem: string; material: CaMaterial } | undefined;

/**
 * Parses the CA pair once and reuses it while the same PEMs keep coming (the CA issues many
 * certificates with one key). Rejects a key that does not belong to the certificate.
 */
export function loadCaMaterial(certPem: string, keyPem: string): CaMaterial {
  if (lastLoaded?.certPem === certPem && lastLoaded.keyPem === keyPem) return lastLoaded.material;
  const material = parseCaMaterial(certPem, keyPem);
  lastLoaded = { certPem, keyPem, material };
  return material;
}

/** A certificate's DER with the TBSCertificate fields its callers read: subject and public key. */
export interface CertificateParts {
  readonly der: Buffer;
  readonly fields: DerElement[];
  readonly subject: DerElement;
  readonly spki: DerElement;
}

export function readCertificateParts(certPem: string): CertificateParts {
  const der = pemToDer('CERTIFICATE', certPem);
  const tbs = expectTag(childrenOf(der, readSingleElement(der))[0], DerTag.sequence, 'TBSCertificate');
  const fields = childrenOf(der, tbs);
  // The version field ([0]) is optional: the rest move up by one without it.
  const offset = fields[0]?.tag === DerTag.contextConstructed0 ? 1 : 0;
  const subject = expectTag(fields[offset + 4], DerTag.sequence, 'subject');
  const spki = expectTag(fields[offset + 5], DerTag.sequence, 'subjectPublicKeyInfo');
  return { der, fields, subject, spki };
}

function parseCaMaterial(certPem: string, keyPem: string): CaMaterial {
  const { der, fields, subject, spki } = readCertificateParts(certPem);
  const subjectPublicKeyInfoDer = bytesOf(der, spki);
  const signingKey = toPrivateKey(keyPem);
  if (!spkiDer(toPublicKey(signingKey)).equals(subjectPublicKeyInfoDer)) {
    throw new PkiError('InvalidKey', 'the CA key does not match the CA certificate');
  }
  const extensions = fields.find((field) => field.tag === DerTag.contextConstructed3);
  return {
    subjectDer: bytesOf(der, subject),
    subjectPublicKeyInfoDer,
    keyId: (extensions && findSubjectKeyId(der, extensions)) ?? keyIdentifier(subjectPublicKeyInfoDer),
    signingKey,
  };
}

function findSubjectKeyId(der: Buffer, extensionsTag: DerElement): Buffer | undefined {
  const list = expectTag(readElement(der, extensionsTag.contentStart), DerTag.sequence, 'Extensions');
  for (const extension of childrenOf(der, list)) {
    const [id, ...rest] = childrenOf(der, extension);
    if (!id || oidOf(contentOf(der, id)) !== Oid.subjectKeyIdentifier) continue;
    const value = expectTag(rest[rest.length - 1], DerTag.octetString, 'extnValue');
    const inner = readElement(der, value.contentStart);
    return contentOf(der, expectTag(inner, DerTag.octetString, 'KeyIdentifier'));
  }
  return undefined;
}
