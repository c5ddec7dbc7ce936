import { DEFAULT_ADDR_POOL, DomainError, SwarmErrors, type EventData, type NetworkSpaceEvent } from '#contracts';
import { cidrContains, isIpv4Address, parseCidr } from '../net/cidr.js';
import { formatIpv4, formatPrefix, type Ipv4Prefix } from '../net/ipv4.js';
import type { NetworkSpace } from './network-space.js';

/** What a network create asks for; IDs and time come in with the command. */
export interface CreateNetworkInput {
  readonly networkId: string;
  readonly name: string;
  readonly ingress: boolean;
  readonly internal: boolean;
  readonly attachable: boolean;
  readonly labels: Record<string, string>;
  readonly options: Record<string, string>;
  readonly subnet?: string;
  readonly gateway?: string;
  readonly ipRange?: string;
  readonly createdAt: string;
}

export type NetworkSpaceCommand =
  | { readonly type: 'ConfigurePools'; readonly clusterId: string; readonly pools: readonly string[]; readonly subnetSize: number }
  | { readonly type: 'CreateNetwork'; readonly network: CreateNetworkInput }
  | { readonly type: 'RemoveNetwork'; readonly networkId: string };

/** Names the Engine keeps for its own networks. */
export const PREDEFINED_NETWORK_NAMES: ReadonlySet<string> = new Set(['bridge', 'host', 'none', 'default']);

export function decideNetworkSpace(command: NetworkSpaceCommand, space: NetworkSpace): NetworkSpaceEvent[] {
  switch (command.type) {
    case 'ConfigurePools':
      if (space.subnets) return [];
      checkPools(command.pools, command.subnetSize);
      return [{ type: 'AddressPoolsConfigured', data: { clusterId: command.clusterId, pools: command.pools, subnetSize: command.subnetSize } }];
    case 'CreateNetwork':
      if (space.networks.has(command.network.networkId)) return [];
      return [{ type: 'NetworkCreated', data: createNetwork(command.network, space) }];
    case 'RemoveNetwork': {
      const network = space.networks.get(command.networkId);
      if (!network) return [];
      return [{ type: 'NetworkRemoved', data: { networkId: network.networkId, clusterId: network.clusterId, name: network.name } }];
    }
    default: {
      const unknown: never = command;
      throw new Error(`unknown command ${JSON.stringify(unknown)}`);
    }
  }
}

/**
 * The address space's own rules, whoever sent the command: IPv4 pools (none means 10.0.0.0/8) and
 * a subnet size that fits in every pool. A bad size would be stored and break every later create.
 */
function checkPools(pools: readonly string[], subnetSize: number): void {
  for (const pool of pools.length > 0 ? pools : [DEFAULT_ADDR_POOL]) {
    const prefix = parseCidr(pool);
    if (!prefix) throw new DomainError(SwarmErrors.invalidParameter(`invalid base pool ${pool}: invalid CIDR address: ${pool}`));
    if (!Number.isInteger(subnetSize) || subnetSize > 32) throw new DomainError(SwarmErrors.invalidParameter(`subnet size is out of range: ${subnetSize}`));
    if (subnetSize < prefix.bits) {
      throw new DomainError(SwarmErrors.invalidParameter(`invalid CIDR: "${pool}". Subnet size is too small for pool: ${subnetSize}`));
    }
  }
}

function createNetwork(input: CreateNetworkInput, space: NetworkSpace): EventData<'NetworkCreated'> {
  const { clusterId, subnets } = space;
  if (!clusterId || !subnets) throw new DomainError({ ...SwarmErrors.notManager(), kind: 'System' });
  if (PREDEFINED_NETWORK_NAMES.has(input.name)) {
    throw new DomainError({ code: 'PredefinedNetwork', kind: 'Forbidden', message: `${input.name} is a pre-defined network and cannot be created` });
  }
  if (space.idsByName.has(input.name)) {
    throw new DomainError({ code: 'NetworkNameTaken', kind: 'Conflict', message: `network with name ${input.name} already exists` });
  }
  if (input.ingress) checkIngress(input, space);
  const addressing = input.subnet === undefined ? automaticSubnet(space) : explicitSubnet(input, space);
  const vxlanId = space.vxlanIds.nextFree();
  if (vxlanId === undefined) throw new DomainError(SwarmErrors.system('no VXLAN ID is left for the network'));
  return {
    networkId: input.networkId,
    clusterId,
    name: input.name,
    driver: 'overlay',
    ingress: input.ingress,
    internal: input.internal,
    attachable: input.attachable,
    labels: input.labels,
    options: input.options,
    ...addressing,
    vxlanId,
    createdAt: input.createdAt,
  };
}

function checkIngress(input: CreateNetworkInput, space: NetworkSpace): void {
  if (space.ingressId) {
    throw new DomainError({
      code: 'IngressExists',
      kind: 'Conflict',
      message: `rpc error: code = AlreadyExists desc = ingress network (${space.ingressId}) is already present`,
    });
  }
  if (input.attachable) {
    throw new DomainError(SwarmErrors.invalidParameter('rpc error: code = InvalidArgument desc = ingress network cannot be attachable'));
  }
}

type Addressing = Pick<EventData<'NetworkCreated'>, 'subnet' | 'gateway' | 'ipRange' | 'explicitSubnet'>;

function automaticSubnet(space: NetworkSpace): Addressing {
  const subnet = space.subnets?.lowestFree();
  if (!subnet) {
    throw new DomainError(
      SwarmErrors.system('could not find an available, non-overlapping IPv4 address pool among the defaults to assign to the network'),
    );
  }
  return { subnet: formatPrefix(subnet), gateway: formatIpv4(subnet.base + 1), explicitSubnet: false };
}

function explicitSubnet(input: CreateNetworkInput, space: NetworkSpace): Addressing {
  const text = input.subnet ?? '';
  const range = parseCidr(text);
  if (!range) {
    throw new DomainError(SwarmErrors.system(`Invalid subnet ${text} : invalid CIDR address: ${text}`));
  }
  if (space.subnets?.overlaps(range)) {
    throw new DomainError({
      code: 'SubnetOverlaps',
      kind: 'Forbidden',
      message: `invalid pool request: Pool overlaps with other one on this address space (${text})`,
    });
  }
  const ipRange = input.ipRange ? parseIpRange(input.ipRange, text, range) : undefined;
  const gateway = input.gateway ? parseGateway(input.gateway, text) : defaultGateway(range, ipRange);
  return { subnet: text, gateway, ...(ipRange ? { ipRange: formatPrefix(ipRange) } : {}), explicitSubnet: true };
}

function parseIpRange(text: string, subnetText: string, subnet: Ipv4Prefix): Ipv4Prefix {
  const range = parseCidr(text);
  if (!range) throw new DomainError(SwarmErrors.invalidParameter(`Invalid ip range ${text} : invalid CIDR address: ${text}`));
  if (!cidrContains(subnetText, formatIpv4(range.base)) || range.bits < subnet.bits) {
    throw new DomainError(SwarmErrors.invalidParameter(`no matching subnet for range ${text}`));
  }
  return range;
}

function parseGateway(text: string, subnetText: string): string {
  if (!isIpv4Address(text) || !cidrContains(subnetText, text)) {
    throw new DomainError(SwarmErrors.invalidParameter(`no matching subnet for gateway ${text}`));
  }
  return text;
}

/** Docker takes the first free address: .1 of the subnet, or the start of an `--ip-range`. */
function defaultGateway(subnet: Ipv4Prefix, ipRange: Ipv4Prefix | undefined): string {
  const first = ipRange && ipRange.base !== subnet.base ? ipRange.base : subnet.base + 1;
  return formatIpv4(first);
}
