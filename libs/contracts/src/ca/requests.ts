import type { RequestContext } from '../swarm/requests.js';

export interface CreateRootCaRequest {
  readonly context: RequestContext;
  readonly clusterId: string;
}
export interface CreateRootCaReply {
  readonly certPem: string;
  readonly caDigest: string;
  readonly position: number;
}

/**
 * Issue a certificate for `csrPem` (its signature is verified; only its key is used) or, with
 * neither, a key pair the CA makes (kept sealed in the log: the init manager's).
 */
export interface IssueNodeCertificateRequest {
  readonly context: RequestContext;
  readonly clusterId: string;
  readonly nodeId: string;
  readonly role: 'manager' | 'worker';
  readonly expiryNs: number;
  readonly publicKeyPem?: string;
  readonly csrPem?: string;
}
export interface IssueNodeCertificateReply {
  readonly certPem: string;
  readonly position: number;
}
