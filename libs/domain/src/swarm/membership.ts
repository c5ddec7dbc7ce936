import { DomainError, SwarmErrors, type ErrorPayload, type EventData, type MembershipEvent } from '#contracts';

/**
 * This manager's membership in a swarm. `initializing` is a started init whose steps are not all
 * done yet: it blocks a second init, and a process manager completes it after a crash.
 */
export type Membership =
  | { readonly status: 'inactive' }
  | { readonly status: 'initializing'; readonly init: EventData<'SwarmInitStarted'> }
  | { readonly status: 'active'; readonly init: EventData<'SwarmInitStarted'> };

export const initialMembership: Membership = { status: 'inactive' };

export type MembershipCommand =
  | { readonly type: 'StartSwarmInit'; readonly init: EventData<'SwarmInitStarted'> }
  | { readonly type: 'CompleteSwarmInit'; readonly initId: string }
  /** A step refused the init for good: back to inactive, so that a new init may start. */
  | { readonly type: 'AbandonSwarmInit'; readonly initId: string; readonly reason: ErrorPayload }
  | { readonly type: 'LeaveSwarm'; readonly force: boolean };

export function decideMembership(command: MembershipCommand, state: Membership): MembershipEvent[] {
  switch (command.type) {
    case 'StartSwarmInit':
      if (state.status !== 'inactive') throw new DomainError(SwarmErrors.alreadyInSwarm());
      return [{ type: 'SwarmInitStarted', data: command.init }];
    case 'CompleteSwarmInit':
      if (state.status === 'initializing' && state.init.initId === command.initId) {
        const { initId, clusterId, nodeId } = state.init;
        return [{ type: 'SwarmInitCompleted', data: { initId, clusterId, nodeId } }];
      }
      return [];
    case 'AbandonSwarmInit':
      // Only the init still under way: one completed (by a racing replica) or left stays as it is.
      if (state.status === 'initializing' && state.init.initId === command.initId) {
        const { initId, clusterId, nodeId } = state.init;
        return [{ type: 'SwarmInitAbandoned', data: { initId, clusterId, nodeId, reason: command.reason } }];
      }
      return [];
    case 'LeaveSwarm':
      if (state.status === 'inactive') throw new DomainError(SwarmErrors.notPartOfSwarm());
      if (!command.force) throw new DomainError(SwarmErrors.leaveLastManager());
      return [{ type: 'SwarmLeft', data: { clusterId: state.init.clusterId, nodeId: state.init.nodeId, force: command.force } }];
    default: {
      const unknown: never = command;
      throw new Error(`unknown command ${JSON.stringify(unknown)}`);
    }
  }
}

export function evolveMembership(state: Membership, event: MembershipEvent): Membership {
  switch (event.type) {
    case 'SwarmInitStarted':
      return { status: 'initializing', init: event.data };
    case 'SwarmInitCompleted':
      return state.status === 'initializing' ? { status: 'active', init: state.init } : state;
    case 'SwarmInitAbandoned':
      return state.status === 'initializing' && state.init.initId === event.data.initId ? initialMembership : state;
    case 'SwarmLeft':
      return initialMembership;
    default: {
      const unknown: never = event;
      return unknown;
    }
  }
}
