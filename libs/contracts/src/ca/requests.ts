import type { RequestContext } from '../swarm/requests.js';
import type { SealedSecret } from '../events/sealed.js';

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
  /**
   * A renewal of a key pair the CA holds (the manager's own certificate): issued only while the
   * node's current certificate is still this serial, so that replicas renewing at once renew once.
   */
  readonly renewsSerial?: string;
}
export interface IssueNodeCertificateReply {
  readonly certPem: string;
  readonly position: number;
}

/**
 * Rotate the root (`ca.root.rotate`): to `signingCa` (the operator's root and its key, the key
 * sealed by the gateway under the KEK for the cluster's CA stream: it never crosses NATS in
 * plaintext) or, without it, to a root the CA makes. `checkOnly` checks the signing CA and starts
 * nothing (the update checks before it records the spec). Applied once per `rotationId`.
 */
export interface RotateRootCaRequest {
  readonly context: RequestContext;
  readonly clusterId: string;
  readonly rotationId: string;
  readonly signingCa?: { readonly certPem: string; readonly sealedKey: SealedSecret };
  readonly checkOnly?: boolean;
}

/** End a rotation (`ca.root.rotation.complete`): a no-op unless `rotationId` is the one under way. */
export interface CompleteRootRotationRequest {
  readonly context: RequestContext;
  readonly clusterId: string;
  readonly rotationId: string;
}
export interface CompleteRootRotationReply {
  readonly position: number;
  /** The trust root's digest afterwards (the new one when this call or an earlier one ended it). */
  readonly caDigest: string;
}
