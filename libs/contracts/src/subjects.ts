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

export const QueueGroups = {
  nodeService: 'node-service',
  caService: 'ca-service',
  tokenService: 'token-service',
  ipamService: 'ipam-service',
} as const;
