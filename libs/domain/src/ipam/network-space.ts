import { DEFAULT_ADDR_POOL, type EventData, type NetworkSpaceEvent } from '#contracts';
import { parseIpv4Prefix, type Ipv4Prefix } from '../net/ipv4.js';
import { SubnetPool, VxlanIdPool } from './subnet-pool.js';

export type NetworkRecord = EventData<'NetworkCreated'>;

/**
 * The overlay networks of one cluster and the address space they take (stream `ipam-<clusterId>`):
 * pools, subnets, VXLAN IDs and names. One stream, so that one append decides a name, a subnet and
 * an ID together. Evolved in place for flat cost: whoever folds a NetworkSpace owns it.
 */
export interface NetworkSpace {
  clusterId: string | undefined;
  subnets: SubnetPool | undefined;
  readonly vxlanIds: VxlanIdPool;
  readonly networks: Map<string, NetworkRecord>;
  readonly idsByName: Map<string, string>;
  ingressId: string | undefined;
}

export function newNetworkSpace(): NetworkSpace {
  return {
    clusterId: undefined,
    subnets: undefined,
    vxlanIds: new VxlanIdPool(),
    networks: new Map(),
    idsByName: new Map(),
    ingressId: undefined,
  };
}

/** The masked range a network's subnet occupies (explicit subnets are kept verbatim, e.g. 10.24.1.5/24). */
export function occupiedRange(subnet: string): Ipv4Prefix {
  const prefix = parseIpv4Prefix(subnet, true);
  if (!prefix) throw new Error(`not an IPv4 subnet: ${subnet}`);
  return prefix;
}

export function evolveNetworkSpace(space: NetworkSpace, event: NetworkSpaceEvent): NetworkSpace {
  switch (event.type) {
    case 'AddressPoolsConfigured': {
      const pools = (event.data.pools.length > 0 ? event.data.pools : [DEFAULT_ADDR_POOL]).map(occupiedRange);
      space.clusterId = event.data.clusterId;
      space.subnets = new SubnetPool(pools, event.data.subnetSize);
      return space;
    }
    case 'NetworkCreated': {
      const network = event.data;
      space.networks.set(network.networkId, network);
      space.idsByName.set(network.name, network.networkId);
      space.subnets?.take(occupiedRange(network.subnet));
      space.vxlanIds.take(network.vxlanId);
      if (network.ingress) space.ingressId = network.networkId;
      return space;
    }
    case 'NetworkRemoved': {
      const network = space.networks.get(event.data.networkId);
      if (!network) return space;
      space.networks.delete(network.networkId);
      if (space.idsByName.get(network.name) === network.networkId) space.idsByName.delete(network.name);
      space.subnets?.release(occupiedRange(network.subnet));
      space.vxlanIds.release(network.vxlanId);
      if (space.ingressId === network.networkId) space.ingressId = undefined;
      return space;
    }
    default: {
      const unknown: never = event;
      return unknown;
    }
  }
}
