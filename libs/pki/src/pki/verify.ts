import { X509Certificate } from 'node:crypto';

/**
 * True when `certPem` names `caCertPem` as issuer and carries a valid signature from its key,
 * and, when `at` is given, `at` lies within the certificate's validity period.
 */
export function verifyCertificate(certPem: string, caCertPem: string, at?: Date): boolean {
  const certificate = new X509Certificate(certPem);
  const ca = new X509Certificate(caCertPem);
  if (!certificate.checkIssued(ca) || !certificate.verify(ca.publicKey)) return false;
  if (at === undefined) return true;
  return new Date(certificate.validFrom) <= at && at <= new Date(certificate.validTo);
}
