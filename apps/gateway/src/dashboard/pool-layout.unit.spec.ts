import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { CellState, layoutPools, parseCidr, subnetAt } from './pool-layout.js';

const net = (name: string, subnet: string, extra: { ingress?: boolean; explicit?: boolean } = {}) => ({
  name,
  subnet,
  ingress: extra.ingress ?? false,
  explicit: extra.explicit ?? false,
});

describe('the address pools as a picture', () => {
  it('cuts each pool into its subnets at the mask length: ingress first, a network next', () => {
    const layout = layoutPools(['10.20.0.0/16', '10.30.0.0/16'], 26, [net('ingress', '10.20.0.0/26', { ingress: true }), net('x', '10.20.0.64/26')]);
    const [first, second] = layout.pools;
    assert.equal(first?.subnets, 1024);
    assert.equal(first?.span, 1);
    assert.deepEqual([...first!.states.slice(0, 3)], [CellState.Ingress, CellState.Network, CellState.Free]);
    assert.deepEqual([...first!.owners.slice(0, 3)], [0, 1, -1]);
    assert.deepEqual([first?.used, first?.free, second?.used, second?.free], [2, 1022, 0, 1024]);
    assert.equal(subnetAt('10.20.0.0/16', 26, 1), '10.20.0.64/26');
  });

  it('an explicit subnet with host bits lands in its cell; a wider one covers several; one outside the pools is set apart', () => {
    const layout = layoutPools(['10.20.0.0/16'], 26, [
      net('a', '10.20.1.5/26', { explicit: true }),
      net('wide', '10.20.4.0/24', { explicit: true }),
      net('elsewhere', '192.168.7.0/24', { explicit: true }),
    ]);
    const pool = layout.pools[0]!;
    assert.equal(pool.states[4], CellState.Explicit, '10.20.1.0/26 is the fifth subnet');
    assert.deepEqual([...pool.states.slice(16, 21)], [2, 2, 2, 2, 0], 'a /24 is four /26 subnets');
    assert.equal(pool.used, 5);
    assert.deepEqual(layout.outside, [2]);
  });

  it('draws a pool of more than 65,536 subnets several subnets to a cell', () => {
    const layout = layoutPools(['10.0.0.0/8'], 28, [net('n', '10.0.0.16/28')]);
    const pool = layout.pools[0]!;
    assert.equal(pool.subnets, 1 << 20);
    assert.equal(pool.span, 16);
    assert.equal(pool.states.length, 65_536);
    assert.equal(pool.states[0], CellState.Network);
    assert.deepEqual([pool.used, pool.free], [1, (1 << 20) - 1]);
  });

  it('parses CIDRs to their network address', () => {
    assert.deepEqual(parseCidr('10.20.1.5/26'), { base: (10 << 24) + (20 << 16) + 256, prefix: 26 });
    assert.equal(parseCidr('10.300.0.0/16'), undefined);
    assert.equal(parseCidr('fd00::/64'), undefined);
  });
});
