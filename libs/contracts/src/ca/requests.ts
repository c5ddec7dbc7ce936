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

/** Issue a certificate; without `publicKeyPem` the CA makes the key pair (kept sealed in the log). */
export interface IssueNodeCertificateRequest {
  readonly context: RequestContext;
  readonly clusterId: string;
  readonly nodeId: string;
  readonly role: 'manager' | 'worker';
  readonly expiryNs: number;
  readonly publicKeyPem?: string;
}
export interface IssueNodeCertificateReply {
  readonly certPem: string;
  readonly position: number;
}
