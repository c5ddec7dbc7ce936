/**
 * NATS request/reply subjects (NestJS message patterns). Each service listens in a queue group
 * named after itself, so any number of replicas share the load.
 */
export const Subjects = {
  swarmInit: 'swarm.init',
  swarmUpdate: 'swarm.update',
  swarmLeave: 'swarm.leave',
  caCreateRoot: 'ca.root.create',
  caIssueNodeCertificate: 'ca.node-certificate.issue',
  tokensIssue: 'tokens.issue',
  tokensRotate: 'tokens.rotate',
  tokensValidate: 'tokens.validate',
  ipamInitialize: 'ipam.initialize',
  nodesJoin: 'nodes.join',
  nodesUpdate: 'nodes.update',
  nodesRemove: 'nodes.remove',
  nodesRenew: 'nodes.renew',
  nodesHeartbeat: 'nodes.heartbeat',
  nodesLeave: 'nodes.leave',
  networksCreate: 'networks.create',
  networksRemove: 'networks.remove',
  networksPrune: 'networks.prune',
} as const;

/**
 * Requests whose handlers are idempotent, so the RPC client repeats them when no reply comes
 * (a NATS node or a service replica failing over): queries, and steps that append with
 * deterministic event ids or return what exists. Any other request that gets no reply fails with
 * Docker's 503 "...retry", because it may or may not have taken effect.
 */
export const IDEMPOTENT_SUBJECTS: ReadonlySet<string> = new Set([
  Subjects.tokensValidate,
  Subjects.caCreateRoot,
  Subjects.tokensIssue,
  Subjects.tokensRotate,
  Subjects.ipamInitialize,
]);

export const QueueGroups = {
  nodeService: 'node-service',
  caService: 'ca-service',
  tokenService: 'token-service',
  ipamService: 'ipam-service',
} as const;

/**
 * The liveness subject of a service (`health.ipam-service`): every replica answers it in the
 * service's queue group, at once and without touching the store, so a request that finds no
 * responder means no replica of the service is running. The gateway's `/_ping` probes it.
 */
export function livenessSubject(queueGroup: string): string {
  return `health.${queueGroup}`;
}

/** The answer on a liveness subject: which service and which process answered. */
export interface LivenessReply {
  readonly service: string;
  readonly pid: number;
}
