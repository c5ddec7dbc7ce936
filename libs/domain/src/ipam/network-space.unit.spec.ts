import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { EventData, NetworkSpaceEvent } from '#contracts';
import { formatPrefix, parseIpv4Prefix } from '../net/ipv4.js';
import { evolveNetworkSpace, newNetworkSpace, occupiedRange, type NetworkSpace } from './network-space.js';

const CLUSTER = 'cluster-1';
const CREATED_AT = '2026-01-01T00:00:00.000Z';

const configured = (pools: readonly string[], subnetSize: number): NetworkSpaceEvent => ({
  type: 'AddressPoolsConfigured',
  data: { clusterId: CLUSTER, pools, subnetSize },
});

function network(networkId: string, subnet: string, vxlanId: number, extra: Partial<EventData<'NetworkCreated'>> = {}): EventData<'NetworkCreated'> {
  return {
    networkId,
    clusterId: CLUSTER,
    name: networkId,
    driver: 'overlay',
    ingress: false,
    internal: false,
    attachable: false,
    labels: {},
    options: {},
    subnet,
    gateway: '10.0.0.1',
    explicitSubnet: false,
    vxlanId,
    createdAt: CREATED_AT,
    ...extra,
  };
}

const created = (data: EventData<'NetworkCreated'>): NetworkSpaceEvent => ({ type: 'NetworkCreated', data });
const removed = (networkId: string, name = networkId): NetworkSpaceEvent => ({
  type: 'NetworkRemoved',
  data: { networkId, clusterId: CLUSTER, name },
});

/** Replay from a fresh space: the state is folded in place, so each replay owns its own. */
const replay = (events: readonly NetworkSpaceEvent[]): NetworkSpace => events.reduce(evolveNetworkSpace, newNetworkSpace());

describe('evolveNetworkSpace', () => {
  it('starts empty and unconfigured', () => {
    const space = replay([]);
    assert.equal(space.clusterId, undefined);
    assert.equal(space.subnets, undefined);
    assert.equal(space.ingressId, undefined);
    assert.equal(space.networks.size, 0);
    assert.equal(space.idsByName.size, 0);
    assert.equal(space.vxlanIds.nextFree(), 4096);
  });

  it('applies the default pool 10.0.0.0/8 when none is configured', () => {
    const space = replay([configured([], 24)]);
    assert.equal(space.clusterId, CLUSTER);
    assert.deepEqual(space.subnets?.pools, [parseIpv4Prefix('10.0.0.0/8')]);
    assert.equal(space.subnets?.subnetBits, 24);
    assert.equal(formatPrefix(space.subnets!.lowestFree()!), '10.0.0.0/24');
  });

  it('keeps the configured pools in order, masked, at the configured size', () => {
    const space = replay([configured(['10.20.0.0/16', '10.30.1.0/16'], 26)]);
    assert.deepEqual(space.subnets?.pools, [parseIpv4Prefix('10.20.0.0/16'), parseIpv4Prefix('10.30.0.0/16')]);
    assert.equal(space.subnets?.subnetBits, 26);
  });

  it('records a created network: by ID, by name, its subnet and VXLAN ID taken', () => {
    const ingress = network('ingress-id', '10.0.0.0/24', 4096, { name: 'ingress', ingress: true });
    const space = replay([configured([], 24), created(ingress)]);
    assert.deepEqual(space.networks.get('ingress-id'), ingress);
    assert.equal(space.idsByName.get('ingress'), 'ingress-id');
    assert.equal(space.ingressId, 'ingress-id');
    assert.equal(space.subnets?.allocatedCount, 1);
    assert.equal(formatPrefix(space.subnets!.lowestFree()!), '10.0.1.0/24');
    assert.equal(space.vxlanIds.nextFree(), 4097);
  });

  it('takes the masked range of an explicit subnet kept with host bits', () => {
    const space = replay([configured([], 24), created(network('n1', '10.0.0.5/24', 4096, { explicitSubnet: true }))]);
    assert.equal(space.subnets?.overlaps(parseIpv4Prefix('10.0.0.0/24')!), true);
    assert.equal(formatPrefix(space.subnets!.lowestFree()!), '10.0.1.0/24');
  });

  it('forgets a removed network and frees its name, subnet and VXLAN ID', () => {
    const ingress = network('ingress-id', '10.0.0.0/24', 4096, { name: 'ingress', ingress: true });
    const space = replay([configured([], 24), created(ingress), created(network('n1', '10.0.1.0/24', 4097)), removed('ingress-id', 'ingress')]);
    assert.equal(space.networks.has('ingress-id'), false);
    assert.equal(space.idsByName.has('ingress'), false);
    assert.equal(space.ingressId, undefined);
    assert.equal(space.subnets?.allocatedCount, 1);
    assert.equal(formatPrefix(space.subnets!.lowestFree()!), '10.0.0.0/24');
    assert.equal(space.networks.size, 1);
  });

  it('ignores the removal of an unknown network', () => {
    const space = replay([configured([], 24), created(network('n1', '10.0.0.0/24', 4096)), removed('nope')]);
    assert.equal(space.networks.size, 1);
    assert.equal(space.subnets?.allocatedCount, 1);
  });

  it('keeps a name that now belongs to another network', () => {
    const space = replay([
      configured([], 24),
      created(network('n1', '10.0.0.0/24', 4096, { name: 'web' })),
      removed('n1', 'web'),
      created(network('n2', '10.0.0.0/24', 4096, { name: 'web' })),
      removed('n1', 'web'),
    ]);
    assert.equal(space.idsByName.get('web'), 'n2');
  });

  it('folds in place and returns the same space', () => {
    const space = newNetworkSpace();
    assert.equal(evolveNetworkSpace(space, configured([], 24)), space);
    assert.equal(evolveNetworkSpace(space, created(network('n1', '10.0.0.0/24', 4096))), space);
  });
});

describe('occupiedRange', () => {
  it('masks the subnet', () => {
    assert.deepEqual(occupiedRange('10.24.1.5/24'), parseIpv4Prefix('10.24.1.0/24'));
  });

  it('refuses what is not an IPv4 subnet', () => {
    assert.throws(() => occupiedRange('fd00::/64'), /not an IPv4 subnet: fd00::\/64/);
  });
});
