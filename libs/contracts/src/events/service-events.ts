import type { SealedSecret } from './sealed.js';

/** A root CA as the CA stream records it: its certificate, its key sealed (never plaintext), its digest. */
export interface RootCaMaterial {
  readonly certPem: string;
  readonly sealedKey: SealedSecret;
  readonly keyFingerprint: string;
  readonly certIssuerSubject: string;
  readonly certIssuerPublicKey: string;
  /** base36 SHA-256 of certPem, the middle part of the join tokens. */
  readonly caDigest: string;
}

/** Stream `ca-<clusterId>`: the root CA. */
export interface RootCaCreated {
  readonly type: 'RootCaCreated';
  readonly data: RootCaMaterial & {
    readonly clusterId: string;
  };
}
/**
 * A new root is wanted (`ForceRotate` changed, or `SigningCACert`/`SigningCAKey` given): from now on
 * node certificates are signed by it and carry `crossSignedCertPem` (the new root's subject and key,
 * issued by the current root) so that nodes still trusting the current root verify them. The
 * current root stays the trust root until `RootRotationCompleted`. A later start supersedes it.
 */
export interface RootRotationStarted {
  readonly type: 'RootRotationStarted';
  readonly data: RootCaMaterial & {
    readonly clusterId: string;
    /** The id of the `SwarmUpdated` event that asked for it: a retried request starts it once. */
    readonly rotationId: string;
    /** `force-rotate`: a root the CA made; `signing-ca`: the root the operator gave with its key. */
    readonly origin: 'force-rotate' | 'signing-ca';
    readonly crossSignedCertPem: string;
  };
}
/** Every node that is not down holds a certificate of the new root: it is the trust root now. */
export interface RootRotationCompleted {
  readonly type: 'RootRotationCompleted';
  readonly data: {
    readonly clusterId: string;
    readonly rotationId: string;
    readonly caDigest: string;
    readonly previousCaDigest: string;
  };
}
export type CaEvent = RootCaCreated | RootRotationStarted | RootRotationCompleted;

/** Stream `nodecert-<nodeId>`: certificates issued to a node. */
export interface NodeCertificateIssued {
  readonly type: 'NodeCertificateIssued';
  readonly data: {
    readonly nodeId: string;
    readonly clusterId: string;
    readonly role: 'manager' | 'worker';
    readonly certPem: string;
    readonly serial: string;
    readonly notAfter: string;
    /** NotBefore as written in the certificate (absent in events written before root rotation existed). */
    readonly notBefore?: string;
    /** The digest (base36) of the root that signed it: during a root rotation, which nodes still need a new certificate. */
    readonly issuerCaDigest?: string;
    /** Present when the CA made the key pair itself (the init manager); sealed. */
    readonly sealedKey?: SealedSecret;
  };
}
export type NodeCertificateEvent = NodeCertificateIssued;

/** Stream `jointokens-<clusterId>`: join token secrets, sealed; fingerprints for audit. */
export interface JoinTokensIssued {
  readonly type: 'JoinTokensIssued';
  readonly data: {
    readonly clusterId: string;
    readonly caDigest: string;
    readonly worker: SealedSecret;
    readonly manager: SealedSecret;
    readonly workerFingerprint: string;
    readonly managerFingerprint: string;
  };
}
export interface JoinTokenRotated {
  readonly type: 'JoinTokenRotated';
  readonly data: {
    readonly clusterId: string;
    readonly role: 'worker' | 'manager';
    readonly secret: SealedSecret;
    readonly fingerprint: string;
  };
}
/**
 * Both tokens made anew after a root rotation ended: the new root's digest and new secrets, as the
 * Engine changes both parts of both tokens at that moment.
 */
export interface JoinTokensReissued {
  readonly type: 'JoinTokensReissued';
  readonly data: {
    readonly clusterId: string;
    readonly rotationId: string;
    readonly caDigest: string;
    readonly worker: SealedSecret;
    readonly manager: SealedSecret;
    readonly workerFingerprint: string;
    readonly managerFingerprint: string;
  };
}
/**
 * A join token has passed the maximum age (`SWARM_TOKEN_MAX_AGE`): recorded once per token (by its
 * fingerprint) at the moment it is found so; with `SWARM_TOKEN_AUTO_ROTATE` a `JoinTokenRotated`
 * follows in the same append.
 */
export interface JoinTokenAgeExceeded {
  readonly type: 'JoinTokenAgeExceeded';
  readonly data: {
    readonly clusterId: string;
    readonly role: 'worker' | 'manager';
    readonly fingerprint: string;
    /** When the token was issued (the time of the event that made it). */
    readonly issuedAt: string;
    readonly maxAgeSeconds: number;
    readonly autoRotate: boolean;
  };
}
export type JoinTokenEvent = JoinTokensIssued | JoinTokenRotated | JoinTokensReissued | JoinTokenAgeExceeded;

/**
 * Stream `ipam-<clusterId>`: the cluster's overlay networks and the address space they take. One
 * stream, so one append decides a network's name, subnet and VXLAN ID together.
 */
export interface AddressPoolsConfigured {
  readonly type: 'AddressPoolsConfigured';
  readonly data: { readonly clusterId: string; readonly pools: readonly string[]; readonly subnetSize: number };
}
export interface NetworkCreated {
  readonly type: 'NetworkCreated';
  readonly data: {
    readonly networkId: string;
    readonly clusterId: string;
    readonly name: string;
    readonly driver: 'overlay';
    readonly ingress: boolean;
    readonly internal: boolean;
    readonly attachable: boolean;
    readonly labels: Record<string, string>;
    readonly options: Record<string, string>;
    /** As given when explicit (may keep host bits, e.g. 10.24.1.5/24); allocated otherwise. */
    readonly subnet: string;
    readonly gateway: string;
    readonly ipRange?: string;
    readonly explicitSubnet: boolean;
    readonly vxlanId: number;
    readonly createdAt: string;
  };
}
export interface NetworkRemoved {
  readonly type: 'NetworkRemoved';
  readonly data: { readonly networkId: string; readonly clusterId: string; readonly name: string };
}
export type NetworkSpaceEvent = AddressPoolsConfigured | NetworkCreated | NetworkRemoved;
