import { DomainError, SwarmErrors, type ClusterEvent, type EventData, type SwarmSpec } from '#contracts';
import { mergeSpec, validateSpec, type SwarmSpecInput } from './init-options.js';
import { refuseUnhonouredChanges } from './unhonoured-fields.js';

/** The cluster object as its own stream knows it. */
export type Cluster = { readonly exists: false } | ({ readonly exists: true } & EventData<'SwarmCreated'>);

export const initialCluster: Cluster = { exists: false };

export type ClusterCommand =
  | { readonly type: 'CreateSwarm'; readonly swarm: EventData<'SwarmCreated'> }
  | {
      readonly type: 'UpdateSwarm';
      readonly spec: SwarmSpecInput;
      readonly rotateWorkerToken: boolean;
      readonly rotateManagerToken: boolean;
      readonly rotateManagerUnlockKey: boolean;
    };

export function decideCluster(command: ClusterCommand, state: Cluster): ClusterEvent[] {
  switch (command.type) {
    case 'CreateSwarm':
      return state.exists ? [] : [{ type: 'SwarmCreated', data: command.swarm }];
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
      return [{ type: 'SwarmUpdated', data: { clusterId: state.clusterId, spec, rotateWorkerToken, rotateManagerToken, rotateManagerUnlockKey } }];
    }
    default: {
      const unknown: never = command;
      throw new Error(`unknown command ${JSON.stringify(unknown)}`);
    }
  }
}

export function evolveCluster(state: Cluster, event: ClusterEvent): Cluster {
  switch (event.type) {
    case 'SwarmCreated':
      return { exists: true, ...event.data };
    case 'SwarmUpdated':
      return state.exists ? { ...state, spec: event.data.spec } : state;
    default: {
      const unknown: never = event;
      return unknown;
    }
  }
}
