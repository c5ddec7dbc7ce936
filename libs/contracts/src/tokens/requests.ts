import type { RequestContext } from '../swarm/requests.js';

export interface IssueJoinTokensRequest {
  readonly context: RequestContext;
  readonly clusterId: string;
  readonly caDigest: string;
}
export interface RotateJoinTokensRequest {
  readonly context: RequestContext;
  readonly clusterId: string;
  readonly roles: readonly ('worker' | 'manager')[];
  /** The id of the event that asked for the rotation: the rotation's event ids derive from it (idempotent retries). */
  readonly causationEventId: string;
}
export interface ValidateJoinTokenRequest {
  readonly token: string;
}
/** The role the token grants. Errors: `InvalidJoinToken`, `JoinTokenRejected`. */
export interface ValidateJoinTokenReply {
  readonly role: 'worker' | 'manager';
  readonly clusterId: string;
}
/** After a root rotation ended: both tokens anew with the new root's digest (`tokens.reissue`; once per digest). */
export interface ReissueJoinTokensRequest {
  readonly context: RequestContext;
  readonly clusterId: string;
  readonly rotationId: string;
  readonly caDigest: string;
}
