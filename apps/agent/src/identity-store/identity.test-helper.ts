import { createPrivateKey } from 'node:crypto';
import type { NodeRole } from '#contracts';
import { createRootCa, generateNodeKeyAndCsr, issueNodeCertificate, type RootCa } from '#pki';
import type { NodeIdentity } from './identity-store.js';

/** A CA and node certificates signed by it, for tests of the agent's identity handling. */
export class TestCa {
  readonly root: RootCa = createRootCa(new Date());

  issue(nodeId: string, role: NodeRole, keyPem = generateNodeKeyAndCsr().keyPem, expiryMs = 90 * 24 * 3600_000): { keyPem: string; certPem: string } {
    const { certPem } = issueNodeCertificate({
      caCertPem: this.root.certPem,
      caKeyPem: this.root.keyPem,
      subjectPublicKey: createPrivateKey(keyPem),
      nodeId,
      role,
      clusterId: 'cluster1',
      now: new Date(),
      expiryMs,
    });
    return { keyPem, certPem };
  }

  identity(nodeId: string, role: NodeRole): NodeIdentity {
    return {
      nodeId,
      clusterId: 'cluster1',
      role,
      nodeAddr: '127.0.0.1',
      remoteAddr: '127.0.0.1:2377',
      managers: [{ NodeID: 'mgr1', Addr: '127.0.0.1:2377' }],
      heartbeatPeriodMs: 5000,
      caPem: this.root.certPem,
      ...this.issue(nodeId, role),
    };
  }
}
