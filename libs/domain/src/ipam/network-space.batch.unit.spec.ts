import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { DomainError, type NetworkSpaceEvent } from '#contracts';
import { formatPrefix } from '../net/ipv4.js';
import { AlreadyAppliedInBatch, decideNetworkCreatesInTurn } from './network-space.batch.js';
import { decideNetworkSpace, type CreateNetworkInput } from './network-space.decide.js';
import { evolveNetworkSpace, newNetworkSpace, type NetworkSpace } from './network-space.js';

const CLUSTER = 'c1';
const input = (name: string, extra: Partial<CreateNetworkInput> = {}): CreateNetworkInput => ({
  networkId: `id-${name}`, name, ingress: false, internal: false, attachable: false, labels: {}, options: {}, createdAt: '2026-01-01T00:00:00Z', ...extra,
});

/** 10.0.0.0/8 in /24s, with `names` created one at a time (the sequential answer). */
function spaceWith(...names: string[]): NetworkSpace {
  const space = evolveNetworkSpace(newNetworkSpace(), { type: 'AddressPoolsConfigured', data: { clusterId: CLUSTER, pools: ['10.0.0.0/8'], subnetSize: 24 } });
  for (const name of names) decideOne(space, input(name));
  return space;
}

function decideOne(space: NetworkSpace, network: CreateNetworkInput): NetworkSpaceEvent {
  const [event] = decideNetworkSpace({ type: 'CreateNetwork', network }, space);
  assert.ok(event);
  evolveNetworkSpace(space, event);
  return event;
}

/** What a decision depends on, to compare a space before and after a batch. */
function fingerprint(space: NetworkSpace) {
  return {
    networks: [...space.networks.keys()],
    names: [...space.idsByName.entries()],
    lowestFree: space.subnets?.lowestFree(),
    allocated: space.subnets?.allocatedCount,
    vxlan: space.vxlanIds.nextFree(),
    ingress: space.ingressId,
  };
}

describe('decideNetworkCreatesInTurn (group commit)', () => {
  it('gives each create of a batch what creating them one at a time would give, and leaves the space as found', () => {
    const sequential = spaceWith('a');
    const expected = ['b', 'c', 'd'].map((name) => decideOne(sequential, input(name)));
    const space = spaceWith('a');
    // A freed subnet below the others: the lowest free one must go to the first create of the batch.
    const before = fingerprint(space);
    const decisions = decideNetworkCreatesInTurn(['b', 'c', 'd'].map((name) => input(name)), space);
    assert.deepEqual(decisions.map((d) => d.event), expected);
    assert.deepEqual(fingerprint(space), before);
  });

  it('reuses a freed subnet lowest-first within the batch', () => {
    const space = spaceWith('a', 'b', 'c');
    const b = space.networks.get('id-b');
    assert.ok(b);
    evolveNetworkSpace(space, { type: 'NetworkRemoved', data: { networkId: b.networkId, clusterId: CLUSTER, name: 'b' } });
    const decisions = decideNetworkCreatesInTurn([input('x'), input('y')], space);
    assert.deepEqual(decisions.map((d) => d.event?.data.subnet), [b.subnet, '10.0.3.0/24']);
    assert.equal(formatPrefix(space.subnets!.lowestFree()!), b.subnet);
  });

  it('refuses the second of two creates with one name, and one the space refuses, deciding the others', () => {
    const space = spaceWith('a');
    const before = fingerprint(space);
    const decisions = decideNetworkCreatesInTurn([input('n'), input('n', { networkId: 'id-n2' }), input('bridge'), input('m'), input('a', { networkId: 'id-a' })], space);
    assert.deepEqual(decisions.map((d) => d.event?.data.name), ['n', undefined, undefined, 'm', undefined]);
    assert.ok(decisions[1]?.refusal instanceof DomainError && decisions[1].refusal.code === 'NetworkNameTaken');
    assert.ok(decisions[2]?.refusal instanceof DomainError && decisions[2].refusal.code === 'PredefinedNetwork');
    assert.ok(decisions[4]?.refusal instanceof AlreadyAppliedInBatch);
    assert.notEqual(decisions[0]?.event?.data.vxlanId, decisions[3]?.event?.data.vxlanId);
    assert.deepEqual(fingerprint(space), before);
  });

  it('puts the VXLAN cursor back: the next batch starts where the stored events leave it', () => {
    const space = spaceWith('a');
    const first = decideNetworkCreatesInTurn([input('b'), input('c')], space);
    const again = decideNetworkCreatesInTurn([input('b'), input('c')], space);
    assert.deepEqual(again.map((d) => d.event?.data.vxlanId), first.map((d) => d.event?.data.vxlanId));
  });
});
