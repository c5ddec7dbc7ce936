import { DEFAULT_ADDR_POOL, DomainError, SwarmErrors, type EventData, type IpamEvent } from '#contracts';
import { formatPrefix, parseIpv4Prefix } from '../net/ipv4.js';
import { allocatorState, lowestFreeSubnet, withAllocated, type AllocatorState } from './subnet-allocator.js';

/** First VXLAN ID Docker's overlay driver hands out (ingress normally gets it). */
export const FIRST_VXLAN_ID = 4096;

/** The address space of one cluster: its pools and what is allocated from them. */
export type AddressSpace =
  | { readonly configured: false }
  | {
      readonly configured: true;
      readonly clusterId: string;
      readonly allocator: AllocatorState;
      readonly subnets: ReadonlyMap<string, { readonly subnet: string; readonly vxlanId: number }>;
      readonly nextVxlanId: number;
    };

export const initialAddressSpace: AddressSpace = { configured: false };

export type AddressSpaceCommand =
  | { readonly type: 'ConfigurePools'; readonly clusterId: string; readonly pools: readonly string[]; readonly subnetSize: number }
  | { readonly type: 'AllocateSubnet'; readonly networkId: string };

export function decideAddressSpace(command: AddressSpaceCommand, state: AddressSpace): IpamEvent[] {
  switch (command.type) {
    case 'ConfigurePools':
      if (state.configured) return [];
      return [{ type: 'AddressPoolsConfigured', data: { clusterId: command.clusterId, pools: command.pools, subnetSize: command.subnetSize } }];
    case 'AllocateSubnet': {
      if (!state.configured) throw new Error('address pools are not configured');
      if (state.subnets.has(command.networkId)) return [];
      const subnet = lowestFreeSubnet(state.allocator);
      if (!subnet) {
        throw new DomainError(
          SwarmErrors.system('could not find an available, non-overlapping IPv4 address pool among the defaults to assign to the network'),
        );
      }
      const data: EventData<'SubnetAllocated'> = {
        clusterId: state.clusterId,
        networkId: command.networkId,
        subnet: formatPrefix(subnet),
        vxlanId: state.nextVxlanId,
      };
      return [{ type: 'SubnetAllocated', data }];
    }
    default: {
      const unknown: never = command;
      throw new Error(`unknown command ${JSON.stringify(unknown)}`);
    }
  }
}

export function evolveAddressSpace(state: AddressSpace, event: IpamEvent): AddressSpace {
  switch (event.type) {
    case 'AddressPoolsConfigured': {
      const pools = event.data.pools.length > 0 ? event.data.pools : [DEFAULT_ADDR_POOL];
      return {
        configured: true,
        clusterId: event.data.clusterId,
        allocator: allocatorState(pools, event.data.subnetSize),
        subnets: new Map(),
        nextVxlanId: FIRST_VXLAN_ID,
      };
    }
    case 'SubnetAllocated': {
      if (!state.configured) return state;
      const prefix = parseIpv4Prefix(event.data.subnet);
      if (!prefix) return state;
      const subnets = new Map(state.subnets);
      subnets.set(event.data.networkId, { subnet: event.data.subnet, vxlanId: event.data.vxlanId });
      return {
        ...state,
        allocator: withAllocated(state.allocator, prefix),
        subnets,
        nextVxlanId: Math.max(state.nextVxlanId, event.data.vxlanId + 1),
      };
    }
    default: {
      const unknown: never = event;
      return unknown;
    }
  }
}
