import type { KeyObject } from 'node:crypto';
import { loadCaMaterial } from './ca-material.js';
import { signCertificate } from './certificate.js';
import {
  authorityKeyIdentifier,
  basicConstraints,
  dnsSubjectAltNames,
  extendedKeyUsage,
  keyUsage,
  KeyUsageBit,
  subjectKeyIdentifier,
} from './extensions.js';
import { keyIdentifier, randomSerial, subjectPublicKeyInfoOf } from './keys.js';
import { distinguishedNameDer } from './names.js';
import { Oid } from './oids.js';
import { ROOT_CA_COMMON_NAME } from './root-ca.js';
import { addMilliseconds, roundToMinute } from './validity.js';

export type NodeRole = 'manager' | 'worker';

export interface IssueNodeCertificateInput {
  readonly caCertPem: string;
  /** PKCS#8 (or SEC1) PEM of the CA's signing key. */
  readonly caKeyPem: string;
  /**
   * PEM SubjectPublicKeyInfo, a KeyObject (a private KeyObject is reduced to its public half), or
   * the DER SubjectPublicKeyInfo that `parseCsr` returned (already accepted by OpenSSL, used as is).
   */
  readonly subjectPublicKey: string | KeyObject | Buffer;
  readonly nodeId: string;
  readonly role: NodeRole;
  readonly clusterId: string;
  readonly now: Date;
  readonly expiryMs: number;
}

export interface IssuedCertificate {
  readonly certPem: string;
  /** Upper-case hex without leading zero bytes, as `X509Certificate.serialNumber` shows it. */
  readonly serialNumber: string;
  /** NotAfter as written in the certificate (whole seconds). */
  readonly notAfter: Date;
  readonly notBefore: Date;
}

/** swarmkit's `CertBackdate`. */
const NODE_CERT_BACKDATE_MS = 60 * 60_000;

export function roleOrganizationalUnit(role: NodeRole): string {
  return role === 'manager' ? 'swarm-manager' : 'swarm-worker';
}

/**
 * A node TLS certificate as swarmkit's CA signs it. Validity follows swarmkit exactly: NotBefore
 * is the rounded minute minus the 1 h backdate, NotAfter is the rounded minute plus the expiry
 * (swarmkit adds the backdate to the profile expiry, and cfssl adds that to NotBefore).
 */
export function issueNodeCertificate(input: IssueNodeCertificateInput): IssuedCertificate {
  const ca = loadCaMaterial(input.caCertPem, input.caKeyPem);
  const start = roundToMinute(input.now);
  const spki = Buffer.isBuffer(input.subjectPublicKey) ? input.subjectPublicKey : subjectPublicKeyInfoOf(input.subjectPublicKey);
  const serial = randomSerial();
  const notAfter = addMilliseconds(start, input.expiryMs);
  const notBefore = addMilliseconds(start, -NODE_CERT_BACKDATE_MS);
  const ou = roleOrganizationalUnit(input.role);
  const dnsNames = input.role === 'manager' ? [ou, input.nodeId, ROOT_CA_COMMON_NAME] : [ou, input.nodeId];
  const certPem = signCertificate(
    {
      serial,
      issuerDer: ca.subjectDer,
      subjectDer: distinguishedNameDer([
        { type: 'O', value: input.clusterId },
        { type: 'OU', value: ou },
        { type: 'CN', value: input.nodeId },
      ]),
      notBefore,
      notAfter,
      subjectPublicKeyInfoDer: spki,
      extensions: [
        keyUsage([KeyUsageBit.digitalSignature, KeyUsageBit.keyEncipherment]),
        extendedKeyUsage([Oid.serverAuth, Oid.clientAuth]),
        basicConstraints(false),
        subjectKeyIdentifier(keyIdentifier(spki)),
        authorityKeyIdentifier(ca.keyId),
        dnsSubjectAltNames(dnsNames),
      ],
    },
    ca.signingKey,
  );
  return {
    certPem,
    serialNumber: serial.subarray(serial.findIndex((byte) => byte !== 0)).toString('hex').toUpperCase(),
    notAfter: new Date(Math.floor(notAfter.getTime() / 1000) * 1000),
    notBefore: new Date(Math.floor(notBefore.getTime() / 1000) * 1000),
  };
}
