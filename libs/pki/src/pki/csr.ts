import { sign, verify, type KeyObject } from 'node:crypto';
import { PkiError } from '../pki-error.js';
import { bitStringOfBytes, encode, explicitTag, oid, preEncoded, sequence, smallInteger } from './der-build.js';
import { DerTag, bytesOf, childrenOf, contentOf, expectTag, oidOf, readSingleElement } from './der-read.js';
import { generateP256KeyPair, publicKeyFromSpki, signatureSchemeFor, spkiDer } from './keys.js';
import { distinguishedNameDer } from './names.js';
import { Oid } from './oids.js';
import { derToPem, pemToDer } from './pem.js';

export interface NodeKeyAndCsr {
  /** PKCS#8 PEM. */
  readonly keyPem: string;
  readonly csrPem: string;
}

export interface ParsedCsr {
  /** The request's SubjectPublicKeyInfo, byte for byte, accepted by OpenSSL. */
  readonly subjectPublicKeyInfoDer: Buffer;
  readonly publicKeyPem: string;
}

/** A PKCS#10 request for a fresh P-256 key; swarmkit's own requests carry an empty subject. */
export function generateNodeKeyAndCsr(cn?: string): NodeKeyAndCsr {
  const { privateKey, privateKeyPem, publicKey } = generateP256KeyPair();
  return { keyPem: privateKeyPem, csrPem: buildCsr(privateKey, publicKey, cn) };
}

function buildCsr(privateKey: KeyObject, publicKey: KeyObject, cn: string | undefined): string {
  const scheme = signatureSchemeFor(privateKey);
  const subject = distinguishedNameDer(cn === undefined ? [] : [{ type: 'CN', value: cn }]);
  const emptyAttributes = explicitTag(0, []);
  const info = encode(sequence([smallInteger(0), preEncoded(subject), preEncoded(spkiDer(publicKey)), emptyAttributes]));
  const signature = sign(scheme.hash, info, { key: privateKey, dsaEncoding: 'der' });
  const request = sequence([preEncoded(info), sequence([oid(scheme.algorithmOid)]), bitStringOfBytes(signature)]);
  return derToPem('CERTIFICATE REQUEST', encode(request));
}

const hashBySignatureOid: Readonly<Record<string, string>> = {
  [Oid.ecdsaWithSha256]: 'sha256',
  [Oid.ecdsaWithSha384]: 'sha384',
  [Oid.ecdsaWithSha512]: 'sha512',
  [Oid.sha256WithRsa]: 'sha256',
};

/** Reads a PKCS#10 request; returns its public key only once the request's self-signature verifies. */
export function parseCsr(csrPem: string): ParsedCsr {
  try {
    const subjectPublicKeyInfoDer = verifiedSubjectPublicKeyInfo(pemToDer('CERTIFICATE REQUEST', csrPem));
    return { subjectPublicKeyInfoDer, publicKeyPem: derToPem('PUBLIC KEY', subjectPublicKeyInfoDer) };
  } catch (error) {
    throw new PkiError('InvalidCsr', `invalid certificate signing request: ${reasonOf(error)}`, { cause: error });
  }
}

function verifiedSubjectPublicKeyInfo(der: Buffer): Buffer {
  const [infoElement, algorithmElement, signatureElement] = childrenOf(der, readSingleElement(der));
  const info = expectTag(infoElement, DerTag.sequence, 'CertificationRequestInfo');
  const spki = expectTag(childrenOf(der, info)[2], DerTag.sequence, 'subjectPKInfo');
  const algorithm = expectTag(algorithmElement, DerTag.sequence, 'signatureAlgorithm');
  const algorithmId = expectTag(childrenOf(der, algorithm)[0], DerTag.oid, 'algorithm identifier');
  const hash = hashBySignatureOid[oidOf(contentOf(der, algorithmId))];
  if (!hash) throw new Error('unsupported signature algorithm');
  const signatureBits = contentOf(der, expectTag(signatureElement, DerTag.bitString, 'signature'));
  const subjectPublicKeyInfo = bytesOf(der, spki);
  const publicKey = publicKeyFromSpki(subjectPublicKeyInfo);
  if (!verify(hash, bytesOf(der, info), publicKey, signatureBits.subarray(1))) {
    throw new Error('signature does not verify');
  }
  return subjectPublicKeyInfo;
}

function reasonOf(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
