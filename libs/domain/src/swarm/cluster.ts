import { DomainError, SwarmErrors, type ClusterEvent, type EventData, type SwarmSpec } from '#contracts';
import { mergeSpec, validateSpec, type SwarmSpecInput } from './init-options.js';
import { refuseUnhonouredChanges } from './unhonoured-fields.js';

/** The manager unlock key while autolock is on (sealed: the decider never sees it in clear). */
export type UnlockKeyRecord = EventData<'UnlockKeyIssued'>;

/** The cluster object as its own stream knows it. */
export type Cluster =
  | { readonly exists: false }
  | ({ readonly exists: true; readonly unlockKey?: UnlockKeyRecord } & EventData<'SwarmCreated'>);

export const initialCluster: Cluster = { exists: false };

export type ClusterCommand =
  | {
      readonly type: 'CreateSwarm';
      readonly swarm: EventData<'SwarmCreated'>;
      /** A key made (and sealed) before the command, recorded when the spec asks for autolock. */
      readonly unlockKey: UnlockKeyRecord;
    }
  | {
      readonly type: 'UpdateSwarm';
      readonly spec: SwarmSpecInput;
      readonly rotateWorkerToken: boolean;
      readonly rotateManagerToken: boolean;
      readonly rotateManagerUnlockKey: boolean;
      /** A key made before the command, recorded when autolock turns on or the key is rotated. */
      readonly unlockKey: UnlockKeyRecord;
    };

export function decideCluster(command: ClusterCommand, state: Cluster): ClusterEvent[] {
  switch (command.type) {
    case 'CreateSwarm':
      if (state.exists) return [];
      return [
        { type: 'SwarmCreated', data: command.swarm },
        ...(command.swarm.spec.EncryptionConfig.AutoLockManagers ? [{ type: 'UnlockKeyIssued' as const, data: command.unlockKey }] : []),
      ];
    case 'UpdateSwarm': {
      if (!state.exists) throw new DomainError(SwarmErrors.notManager());
      if (command.spec.Name && command.spec.Name !== state.spec.Name) {
        throw new DomainError(
          SwarmErrors.invalidParameter('rpc error: code = InvalidArgument desc = modification of cluster name is not allowed'),
        );
      }
      const spec: SwarmSpec = mergeSpec(state.spec, command.spec);
      validateSpec(spec, 'update');
      refuseUnhonouredChanges(state.spec, spec);
      const { rotateWorkerToken, rotateManagerToken, rotateManagerUnlockKey } = command;
      const updated: ClusterEvent = { type: 'SwarmUpdated', data: { clusterId: state.clusterId, spec, rotateWorkerToken, rotateManagerToken, rotateManagerUnlockKey } };
      return [updated, ...unlockKeyChange(state, spec.EncryptionConfig.AutoLockManagers, rotateManagerUnlockKey, command.unlockKey)];
    }
    default: {
      const unknown: never = command;
      throw new Error(`unknown command ${JSON.stringify(unknown)}`);
    }
  }
}

/**
 * swarmkit's rule: with autolock on, a key is made when there is none or a rotation is asked for;
 * with autolock off there is no key (a rotation asked for then changes nothing).
 */
function unlockKeyChange(state: Cluster & { exists: true }, autolock: boolean, rotate: boolean, candidate: UnlockKeyRecord): ClusterEvent[] {
  if (autolock && (!state.unlockKey || rotate)) return [{ type: 'UnlockKeyIssued', data: { ...candidate, clusterId: state.clusterId } }];
  if (!autolock && state.unlockKey) return [{ type: 'UnlockKeyRemoved', data: { clusterId: state.clusterId } }];
  return [];
}

export function evolveCluster(state: Cluster, event: ClusterEvent): Cluster {
  switch (event.type) {
    case 'SwarmCreated':
      return { exists: true, ...event.data };
    case 'SwarmUpdated':
      return state.exists ? { ...state, spec: event.data.spec } : state;
    case 'UnlockKeyIssued':
      return state.exists ? { ...state, unlockKey: event.data } : state;
    case 'UnlockKeyRemoved': {
      if (!state.exists) return state;
      const { unlockKey: _removed, ...rest } = state;
      return rest;
    }
    default: {
      const unknown: never = event;
      return unknown;
    }
  }
}
