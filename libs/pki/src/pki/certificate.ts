import { sign, type KeyObject } from 'node:crypto';
import { bitStringOfBytes, encode, explicitTag, oid, preEncoded, sequence, smallInteger, unsignedInteger, type Asn1 } from './der-build.js';
import { signatureSchemeFor } from './keys.js';
import { derToPem } from './pem.js';
import { validity } from './validity.js';

const DER_NULL = Buffer.from([0x05, 0x00]);

export interface CertificateTemplate {
  readonly serial: Uint8Array;
  /** DER of the issuer Name, copied byte for byte from the issuing certificate's subject. */
  readonly issuerDer: Uint8Array;
  readonly subjectDer: Uint8Array;
  readonly notBefore: Date;
  readonly notAfter: Date;
  readonly subjectPublicKeyInfoDer: Uint8Array;
  readonly extensions: readonly Asn1[];
}

/** Builds the TBSCertificate, signs it with Node's native ECDSA, returns the PEM. */
export function signCertificate(template: CertificateTemplate, issuerKey: KeyObject): string {
  const scheme = signatureSchemeFor(issuerKey);
  const algorithm = sequence(scheme.nullParameters ? [oid(scheme.algorithmOid), preEncoded(DER_NULL)] : [oid(scheme.algorithmOid)]);
  const tbs = encode(tbsCertificate(template, algorithm));
  const signature = sign(scheme.hash, tbs, { key: issuerKey, dsaEncoding: 'der' });
  const certificate = sequence([preEncoded(tbs), algorithm, bitStringOfBytes(signature)]);
  return derToPem('CERTIFICATE', encode(certificate));
}

function tbsCertificate(template: CertificateTemplate, signatureAlgorithm: Asn1): Asn1 {
  return sequence([
    explicitTag(0, [smallInteger(2)]),
    unsignedInteger(template.serial),
    signatureAlgorithm,
    preEncoded(template.issuerDer),
    validity(template.notBefore, template.notAfter),
    preEncoded(template.subjectDer),
    preEncoded(template.subjectPublicKeyInfoDer),
    explicitTag(3, [sequence([...template.extensions])]),
  ]);
}
