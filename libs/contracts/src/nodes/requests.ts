import type { EngineDescription, RequestContext } from '../swarm/requests.js';
import type { NodeAvailability, NodeRole } from '../swarm/spec.js';

/** `nodes.join`: a node presenting a join token and a CSR (from the swarm port). */
export interface JoinNodeRequest {
  readonly context: RequestContext;
  readonly token: string;
  readonly csrPem: string;
  readonly availability: NodeAvailability;
  /** The source address the manager saw. */
  readonly addr: string;
  readonly description: EngineDescription;
}
export interface JoinNodeReply {
  readonly nodeId: string;
  readonly clusterId: string;
  readonly role: NodeRole;
  readonly certPem: string;
  readonly caPem: string;
  readonly position: number;
}

/** `nodes.update`: the spec the client sent, applied if `version` is the node's current one. */
export interface UpdateNodeRequest {
  readonly context: RequestContext;
  readonly nodeId: string;
  readonly version: number;
  readonly role: string;
  readonly availability: string;
  readonly labels: Record<string, string>;
}

export interface RemoveNodeRequest {
  readonly context: RequestContext;
  readonly nodeId: string;
  readonly force: boolean;
}

/** `nodes.renew`: a node authenticated by its current certificate asks for a new one. */
export interface RenewNodeCertificateRequest {
  readonly context: RequestContext;
  readonly nodeId: string;
  readonly csrPem: string;
}
export interface RenewNodeCertificateReply {
  readonly certPem: string;
  readonly role: NodeRole;
  readonly position: number;
}

/** Published (not requested) on `nodes.heartbeat` by the swarm port; every node-service replica hears it. */
export interface NodeHeartbeat {
  readonly nodeId: string;
  readonly at: number;
}

/** `nodes.leave`: the node says it leaves; it goes down at once. */
export interface NodeLeftRequest {
  readonly context: RequestContext;
  readonly nodeId: string;
}
