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

/**
 * True when the first certificate of `chainPem` chains to one of the roots in `rootPems` through the certificates after
 * it (a root rotation's cross-signed intermediate), each signature checked.
 */
export function verifyChain(chainPem: string, rootPems: string): boolean {
  const certificates = pemBlocks(chainPem).map((pem) => new X509Certificate(pem));
  const roots = pemBlocks(rootPems).map((pem) => new X509Certificate(pem));
  let current = certificates[0];
  const pool = certificates.slice(1);
  for (let depth = 0; current && depth <= pool.length; depth++) {
    const subject: X509Certificate = current;
    if (roots.some((root) => subject.checkIssued(root) && subject.verify(root.publicKey))) return true;
    current = pool.find((candidate) => subject.checkIssued(candidate) && subject.verify(candidate.publicKey));
  }
  return false;
}

function pemBlocks(pem: string): string[] {
  return pem.match(/-----BEGIN CERTIFICATE-----[\s\S]*?-----END CERTIFICATE-----/g) ?? [];
}
