import type { ErrorPayload } from './error-kind.js';

/** Docker's texts for the swarm errors every service may raise. */
export const SwarmErrors = {
  alreadyInSwarm: (): ErrorPayload => ({
    code: 'AlreadyInSwarm',
    kind: 'Unavailable',
    message: 'This node is already part of a swarm. Use "docker swarm leave" to leave this swarm and join another one.',
  }),
  notManager: (): ErrorPayload => ({
    code: 'NotInSwarm',
    kind: 'Unavailable',
    message:
      'This node is not a swarm manager. Use "docker swarm init" or "docker swarm join" to connect this node to swarm and try again.',
  }),
  notPartOfSwarm: (): ErrorPayload => ({
    code: 'NotPartOfSwarm',
    kind: 'Unavailable',
    message: 'This node is not part of a swarm',
  }),
  leaveLastManager: (): ErrorPayload => ({
    code: 'LeaveLastManager',
    kind: 'Unavailable',
    message:
      'You are attempting to leave the swarm on a node that is participating as a manager. Removing the last manager erases all current state of the swarm. Use `--force` to ignore this message. ',
  }),
  updateOutOfSequence: (): ErrorPayload => ({
    code: 'UpdateOutOfSequence',
    kind: 'System',
    message: 'rpc error: code = Unknown desc = update out of sequence',
  }),
  invalidParameter: (message: string): ErrorPayload => ({ code: 'InvalidParameter', kind: 'InvalidParameter', message }),
  /** A manager whose key-encryption key is sealed under the unlock key (autolock) and not yet unlocked. */
  swarmLocked: (): ErrorPayload => ({
    code: 'SwarmLocked',
    kind: 'Unavailable',
    message: 'Swarm is encrypted and needs to be unlocked before it can be used. Please use "docker swarm unlock" to unlock it.',
  }),
  leaveLocked: (): ErrorPayload => ({
    code: 'SwarmLocked',
    kind: 'Unavailable',
    message: 'Swarm is encrypted and locked. Please unlock it first or use `--force` to ignore this message.',
  }),
  notLocked: (): ErrorPayload => ({ code: 'NotLocked', kind: 'Conflict', message: 'swarm is not locked' }),
  invalidKeyString: (): ErrorPayload => ({ code: 'InvalidKeyString', kind: 'InvalidParameter', message: 'invalid key string' }),
  invalidUnlockKey: (): ErrorPayload => ({ code: 'InvalidUnlockKey', kind: 'Unauthorized', message: 'swarm could not be unlocked: invalid key provided' }),
  /** No reply in time (failover): the request may or may not have taken effect; retry it. */
  serviceUnavailable: (what: string): ErrorPayload => ({
    code: 'ServiceUnavailable',
    kind: 'Unavailable',
    message: `${what}: the control plane did not answer in time (a NATS node or a service may be failing over); the change may or may not have been made, check and retry`,
  }),
  /** A read model lags behind the log (a replica catching up after a restart or a failover). */
  readModelBehind: (detail: string): ErrorPayload => ({
    code: 'ReadModelBehind',
    kind: 'Unavailable',
    message: `${detail}; the service is catching up, retry`,
  }),
  system: (message: string): ErrorPayload => ({ code: 'System', kind: 'System', message }),
  /**
   * An error that is not a domain error (a bug, a library's failure): the client gets this text,
   * never the JavaScript error's; the cause is logged with the correlation id.
   */
  internal: (correlationId: string | undefined): ErrorPayload => ({
    code: 'Internal',
    kind: 'System',
    message: `internal error${correlationId ? ` (correlation id ${correlationId})` : ''}: see the control plane's logs`,
  }),
  notFound: (message: string): ErrorPayload => ({ code: 'NotFound', kind: 'NotFound', message }),
  invalidJoinToken: (): ErrorPayload => ({ code: 'InvalidJoinToken', kind: 'System', message: 'invalid join token' }),
  joinTokenRejected: (): ErrorPayload => ({
    code: 'JoinTokenRejected',
    kind: 'InvalidParameter',
    message: 'rpc error: code = InvalidArgument desc = A valid join token is necessary to join this cluster',
  }),
} as const;
