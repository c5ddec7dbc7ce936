import { createPrivateKey, X509Certificate } from 'node:crypto';
import type { NodeRole } from '#contracts';
import { verifyChain } from '#pki';

/** What a node certificate says: CN node ID, OU role, O cluster ID, and its validity. */
export interface CertificateFacts {
  readonly nodeId: string | undefined;
  readonly clusterId: string | undefined;
  /** From the OU (`swarm-manager`/`swarm-worker`); undefined for anything else. */
  readonly role: NodeRole | undefined;
  readonly notBeforeMs: number;
  readonly notAfterMs: number;
}

export function certificateFacts(certPem: string): CertificateFacts {
  const certificate = new X509Certificate(certPem);
  const subject = new Map<string, string>();
  for (const line of certificate.subject.split('\n')) {
    const eq = line.indexOf('=');
    if (eq > 0) subject.set(line.slice(0, eq), line.slice(eq + 1));
  }
  const ou = subject.get('OU');
  return {
    nodeId: subject.get('CN'),
    clusterId: subject.get('O'),
    role: ou === 'swarm-manager' ? 'manager' : ou === 'swarm-worker' ? 'worker' : undefined,
    notBeforeMs: Date.parse(certificate.validFrom),
    notAfterMs: Date.parse(certificate.validTo),
  };
}

/**
 * The certificate chains to `caPem` (directly, or during a root rotation through the cross-signed
 * intermediate that follows it) and is for `keyPem`'s public key: what a join or renewal must hand back.
 */
export function certificateFits(certPem: string, keyPem: string, caPem: string): boolean {
  try {
    return verifyChain(certPem, caPem) && new X509Certificate(certPem).checkPrivateKey(createPrivateKey(keyPem));
  } catch {
    return false;
  }
}
