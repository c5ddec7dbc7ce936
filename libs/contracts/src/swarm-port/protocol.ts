import type { EngineDescription } from '../swarm/requests.js';
import type { NodeAvailability, NodeRole } from '../swarm/spec.js';

/**
 * The manager's swarm port (default :2377, on the listen address of `swarm init`): HTTPS with
 * JSON bodies, served by the gateway, used by agents (apps/agent). Errors are an HTTP status with
 * `{"message": ...}` carrying the Engine's text, exactly as on the Engine API.
 *
 * Trust: `rootCa` is fetched without verifying the server (the caller checks the PEM against the
 * digest in its join token); every other call verifies the server against that CA with server
 * name `swarm-ca`. Calls marked mTLS authenticate the caller by its node certificate (CN node ID,
 * OU `swarm-manager`|`swarm-worker`, O cluster ID), never by a token.
 */
export const SwarmPortPaths = {
  /** GET -> `text/plain` root CA PEM, byte for byte as `GET /swarm` shows `TLSInfo.TrustRoot`. */
  rootCa: '/swarm/v1/ca',
  /** POST JoinRequest -> JoinReply. */
  join: '/swarm/v1/join',
  /** POST RenewRequest -> RenewReply. mTLS. */
  renew: '/swarm/v1/renew',
  /** POST HeartbeatRequest -> HeartbeatReply. mTLS. */
  heartbeat: '/swarm/v1/heartbeat',
  /** POST LeaveRequest -> `{}`. mTLS. The node stops heartbeating and goes down. */
  leave: '/swarm/v1/leave',
  /**
   * `<METHOD> /swarm/v1/engine/<Engine API path and query>`: an Engine API call made on behalf of a
   * manager agent, answered as the gateway's Engine API answers it. mTLS with a manager
   * certificate; a worker certificate gets 403.
   */
  enginePrefix: '/swarm/v1/engine',
} as const;

/**
 * The swarm port's refusals of a caller's certificate (HTTP 403): the caller is not (or no longer)
 * a manager, or not (or no longer) a member of the swarm. Agents react to these texts.
 */
export const SwarmPortRefusals = {
  notManager: 'only managers may use the control plane',
  notMember: 'a valid node certificate of this swarm is required',
} as const;

/** The server name agents verify on the swarm port (the manager certificate carries it). */
export const SWARM_PORT_SERVER_NAME = 'swarm-ca';

export interface JoinRequest {
  readonly token: string;
  /** PEM PKCS#10 request for an ECDSA P-256 key; its subject is ignored (the CA sets it). */
  readonly csrPem: string;
  readonly availability: NodeAvailability;
  /** The `--advertise-addr` the node was given, if any (informational; the manager records the source address it saw). */
  readonly advertiseAddr?: string;
  readonly description: EngineDescription;
}

export interface RemoteManager {
  readonly NodeID: string;
  readonly Addr: string;
}

export interface JoinReply {
  readonly nodeId: string;
  readonly clusterId: string;
  readonly role: NodeRole;
  readonly certPem: string;
  readonly caPem: string;
  readonly managers: readonly RemoteManager[];
  /** How often to heartbeat, in milliseconds. */
  readonly heartbeatPeriodMs: number;
  /** The address the manager recorded for the node (the source address it saw). */
  readonly nodeAddr: string;
}

export interface RenewRequest {
  readonly csrPem: string;
}
export interface RenewReply {
  readonly certPem: string;
  readonly role: NodeRole;
}

// eslint-disable-next-line @typescript-eslint/no-empty-interface
export interface HeartbeatRequest {}
export interface HeartbeatReply {
  /** The node's current role: when it differs from the certificate's, renew to get a new one. */
  readonly role: NodeRole;
  readonly managers: readonly RemoteManager[];
  readonly heartbeatPeriodMs: number;
  /**
   * The swarm's trust root (PEM): a node keeps it as the CA it verifies managers with, so it follows
   * a root rotation at the heartbeat after the rotation ends.
   */
  readonly trustRootPem?: string;
  /** During a root rotation, the root wanted: a node trusts it beside the trust root until the rotation ends. */
  readonly rotationRootPem?: string;
  /**
   * Renew now, whatever the certificate's age: `rotation` (a root rotation wants a certificate of
   * another root), `expiry-changed` (the swarm's `--cert-expiry` differs from the certificate's).
   */
  readonly renew?: 'rotation' | 'expiry-changed';
}

// eslint-disable-next-line @typescript-eslint/no-empty-interface
export interface LeaveRequest {}
