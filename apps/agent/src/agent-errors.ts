import { SwarmErrors, type ErrorPayload } from '#contracts';

/**
 * The Engine's texts an agent answers with that `SwarmErrors` (libs/contracts) does not hold yet.
 * They belong there (the gateway and node-service may need them too); until then they live here.
 */
export const AgentErrors = {
  /** Manager-only calls on a worker (MOBY `daemon/cluster/errors.go`). */
  workerNotManager: (): ErrorPayload => ({
    code: 'WorkerNotManager',
    kind: 'Unavailable',
    message:
      "This node is not a swarm manager. Worker nodes can't be used to view or modify cluster state. Please run this command on a manager node or promote the current node to a manager.",
  }),
  workerNetworkCreate: (): ErrorPayload => ({
    code: 'WorkerNetworkCreate',
    kind: 'Forbidden',
    message: 'Cannot create a multi-host network from a worker node. Please create the network from a manager node.',
  }),
  noRemoteAddr: (): ErrorPayload => SwarmErrors.invalidParameter('at least 1 RemoteAddr is required to join'),
  caFingerprintMismatch: (expectedHex: string): ErrorPayload => ({
    code: 'CaFingerprintMismatch',
    kind: 'System',
    message: `remote CA does not match fingerprint. Expected: ${expectedHex}`,
  }),
  /** gRPC's Unavailable as the Engine words a failed dial: `reason` is Go's, e.g. `dial tcp 127.0.0.1:2399: connect: connection refused`. */
  managerUnreachable: (reason: string): ErrorPayload => ({
    code: 'ManagerUnreachable',
    kind: 'Unavailable',
    message: `rpc error: code = Unavailable desc = connection error: desc = "transport: ${reason}"`,
  }),
  leaveManager: (message: string): ErrorPayload => ({ code: 'LeaveManager', kind: 'Unavailable', message }),
  /** Untyped in the Engine's node runner, hence 500. */
  invalidAvailability: (text: string): ErrorPayload => SwarmErrors.system(`invalid Availability: "${text}"`),
  /** Not the Engine's: an agent joins swarms, the gateway creates them. */
  agentCannotInit: (): ErrorPayload => ({
    code: 'AgentCannotInit',
    kind: 'Unavailable',
    message: 'This engine is a swarmplane agent: it joins a swarm but cannot create one. Run "docker swarm init" against the gateway.',
  }),
} as const;
