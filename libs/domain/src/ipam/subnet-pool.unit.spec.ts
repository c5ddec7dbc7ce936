import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { formatPrefix, parseIpv4, parseIpv4Prefix, type Ipv4Prefix } from '../net/ipv4.js';
import { SubnetPool, VxlanIdPool } from './subnet-pool.js';

const prefix = (text: string): Ipv4Prefix => {
  const parsed = parseIpv4Prefix(text);
  assert.ok(parsed, text);
  return parsed;
};

const pool = (pools: readonly string[], bits: number, taken: readonly string[] = []): SubnetPool => {
  const subnets = new SubnetPool(pools.map(prefix), bits);
  for (const text of taken) subnets.take(prefix(text));
  return subnets;
};

/** Takes `count` subnets one after the other, as networks are created. */
function takeInTurn(subnets: SubnetPool, count: number): string[] {
  const taken: string[] = [];
  for (let i = 0; i < count; i += 1) {
    const subnet = subnets.lowestFree();
    assert.ok(subnet, `subnet ${i + 1} of ${count}: none free`);
    subnets.take(subnet);
    taken.push(formatPrefix(subnet));
  }
  return taken;
}

describe('SubnetPool.lowestFree', () => {
  it('walks the default pool 10.0.0.0/8 at /24 from the bottom', () => {
    assert.deepEqual(takeInTurn(pool(['10.0.0.0/8'], 24), 4), ['10.0.0.0/24', '10.0.1.0/24', '10.0.2.0/24', '10.0.3.0/24']);
  });

  it('walks the first pool before the second', () => {
    assert.deepEqual(takeInTurn(pool(['10.20.0.0/16', '10.30.0.0/16'], 26), 5), [
      '10.20.0.0/26',
      '10.20.0.64/26',
      '10.20.0.128/26',
      '10.20.0.192/26',
      '10.20.1.0/26',
    ]);
  });

  it('spills into the next pool when one is full, then has none', () => {
    const subnets = pool(['10.50.0.0/24', '10.60.0.0/24'], 26);
    assert.deepEqual(takeInTurn(subnets, 8), [
      '10.50.0.0/26',
      '10.50.0.64/26',
      '10.50.0.128/26',
      '10.50.0.192/26',
      '10.60.0.0/26',
      '10.60.0.64/26',
      '10.60.0.128/26',
      '10.60.0.192/26',
    ]);
    assert.equal(subnets.lowestFree(), undefined);
    assert.equal(subnets.lowestFree(), undefined, 'still none on a second search');
  });

  it('gives the same answer until the subnet is taken', () => {
    const subnets = pool(['10.0.0.0/8'], 24);
    assert.deepEqual(subnets.lowestFree(), prefix('10.0.0.0/24'));
    assert.deepEqual(subnets.lowestFree(), prefix('10.0.0.0/24'));
  });

  it('skips a /24 taken in the middle', () => {
    assert.deepEqual(takeInTurn(pool(['10.0.0.0/8'], 24, ['10.0.5.0/24']), 7), [
      '10.0.0.0/24',
      '10.0.1.0/24',
      '10.0.2.0/24',
      '10.0.3.0/24',
      '10.0.4.0/24',
      '10.0.6.0/24',
      '10.0.7.0/24',
    ]);
  });

  it('skips the whole of a larger block taken before', () => {
    assert.deepEqual(takeInTurn(pool(['10.20.0.0/16'], 26, ['10.20.0.0/24']), 2), ['10.20.1.0/26', '10.20.1.64/26']);
  });

  it('skips to the next aligned subnet after a smaller block', () => {
    assert.deepEqual(takeInTurn(pool(['10.0.0.0/16'], 24, ['10.0.0.128/25']), 1), ['10.0.1.0/24']);
  });

  it('ignores ranges taken outside the pools', () => {
    assert.deepEqual(takeInTurn(pool(['10.20.0.0/16'], 24, ['10.0.0.0/16', '192.168.0.0/16']), 1), ['10.20.0.0/24']);
  });

  it('never hands out a subnet twice with duplicate or overlapping pools', () => {
    const duplicate = pool(['10.50.0.0/24', '10.50.0.0/24'], 26);
    takeInTurn(duplicate, 4);
    assert.equal(duplicate.lowestFree(), undefined);
    const overlapping = takeInTurn(pool(['10.50.0.0/24', '10.50.0.0/25', '10.60.0.0/24'], 26), 5);
    assert.equal(overlapping.at(-1), '10.60.0.0/26');
    assert.equal(new Set(overlapping).size, 5);
  });

  it('handles a pool at the top of the address space', () => {
    const subnets = pool(['255.255.255.0/24'], 25);
    assert.deepEqual(takeInTurn(subnets, 2), ['255.255.255.0/25', '255.255.255.128/25']);
    assert.equal(subnets.lowestFree(), undefined);
  });

  it('answers with 60,000 subnets taken from 10.0.0.0/8', () => {
    const base = parseIpv4('10.0.0.0')!;
    const subnets = pool(['10.0.0.0/8'], 24);
    for (let i = 0; i < 60_000; i += 1) subnets.take({ base: base + i * 256, bits: 24 });
    assert.equal(subnets.allocatedCount, 60_000);
    assert.deepEqual(takeInTurn(subnets, 2), ['10.234.96.0/24', '10.234.97.0/24']);
  });
});

describe('SubnetPool.release', () => {
  it('frees a subnet for the next search, lowest first', () => {
    const subnets = pool(['10.0.0.0/8'], 24);
    takeInTurn(subnets, 4);
    subnets.release(prefix('10.0.1.0/24'));
    assert.equal(subnets.allocatedCount, 3);
    assert.deepEqual(takeInTurn(subnets, 2), ['10.0.1.0/24', '10.0.4.0/24']);
  });

  it('frees a subnet of a pool that was full', () => {
    const subnets = pool(['10.50.0.0/24', '10.60.0.0/24'], 26);
    takeInTurn(subnets, 8);
    subnets.release(prefix('10.50.0.128/26'));
    assert.deepEqual(takeInTurn(subnets, 1), ['10.50.0.128/26']);
    assert.equal(subnets.lowestFree(), undefined);
  });

  it('frees a larger explicit block inside a pool', () => {
    const subnets = pool(['10.20.0.0/16'], 26, ['10.20.0.0/24']);
    assert.deepEqual(takeInTurn(subnets, 1), ['10.20.1.0/26']);
    subnets.release(prefix('10.20.0.0/24'));
    assert.deepEqual(takeInTurn(subnets, 5), ['10.20.0.0/26', '10.20.0.64/26', '10.20.0.128/26', '10.20.0.192/26', '10.20.1.64/26']);
  });

  it('refuses to free what is not taken', () => {
    const subnets = pool(['10.0.0.0/8'], 24, ['10.0.0.0/24']);
    assert.throws(() => subnets.release(prefix('10.0.1.0/24')), /10\.0\.1\.0\/24 is not allocated/);
  });
});

describe('SubnetPool.overlaps', () => {
  const subnets = pool(['10.0.0.0/8'], 24, ['10.0.5.0/24', '192.168.1.0/24']);

  it('sees equal, containing and contained ranges', () => {
    assert.equal(subnets.overlaps(prefix('10.0.5.0/24')), true);
    assert.equal(subnets.overlaps(prefix('10.0.0.0/16')), true);
    assert.equal(subnets.overlaps(prefix('10.0.5.128/25')), true);
    assert.equal(subnets.overlaps(prefix('192.168.0.0/16')), true);
  });

  it('does not see adjacent or free ranges', () => {
    assert.equal(subnets.overlaps(prefix('10.0.4.0/24')), false);
    assert.equal(subnets.overlaps(prefix('10.0.6.0/24')), false);
    assert.equal(subnets.overlaps(prefix('172.16.0.0/12')), false);
  });
});

describe('VxlanIdPool', () => {
  it('starts at 4096 and goes up', () => {
    const ids = new VxlanIdPool();
    const got: number[] = [];
    for (let i = 0; i < 3; i += 1) {
      const id = ids.nextFree()!;
      ids.take(id);
      got.push(id);
    }
    assert.deepEqual(got, [4096, 4097, 4098]);
  });

  it('never gives an ID that is taken, even when taken out of order', () => {
    const ids = new VxlanIdPool();
    ids.take(4096);
    ids.take(4098);
    const a = ids.nextFree()!;
    assert.ok(a > 4096 && a !== 4098, String(a));
    ids.take(a);
    const b = ids.nextFree()!;
    assert.ok(b > 4096 && ![4098, a].includes(b), String(b));
  });

  it('has none left past the last ID', () => {
    const ids = new VxlanIdPool(10, 11);
    ids.take(10);
    ids.take(11);
    assert.equal(ids.nextFree(), undefined);
  });
});
