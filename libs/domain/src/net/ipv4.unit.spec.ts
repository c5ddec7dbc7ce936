import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import {
  formatIpv4,
  formatPrefix,
  isIpv6Literal,
  maskAddress,
  parseIpv4,
  parseIpv4Prefix,
  prefixSize,
  prefixesOverlap,
} from './ipv4.js';

const ip = (text: string): number => {
  const value = parseIpv4(text);
  assert.notEqual(value, undefined, text);
  return value!;
};

describe('parseIpv4 and formatIpv4', () => {
  it('reads dotted quads as unsigned 32-bit numbers', () => {
    assert.equal(parseIpv4('0.0.0.0'), 0);
    assert.equal(parseIpv4('10.0.0.1'), 0x0a000001);
    assert.equal(parseIpv4('255.255.255.255'), 0xffffffff);
  });

  it('round-trips, including addresses above 2^31', () => {
    for (const text of ['0.0.0.0', '10.20.30.40', '127.0.0.1', '192.0.2.2', '255.255.255.255', '128.0.0.0']) {
      assert.equal(formatIpv4(ip(text)), text);
    }
  });

  it('refuses what is not a plain IPv4 literal', () => {
    for (const text of ['', '1.2.3', '1.2.3.4.5', '256.0.0.0', '01.2.3.4', '1.2.3.-4', 'a.b.c.d', ' 1.2.3.4', '1.2.3.4 ', '::1', 'localhost', '1..3.4', '1.2.3.', '1.2.3.4.', '1234.1.1.1', '1.2.3.256', '1.2.3.4/24', '+1.2.3.4']) {
      assert.equal(parseIpv4(text), undefined, JSON.stringify(text));
    }
  });
});

describe('parseIpv4Prefix', () => {
  it('clears the host bits by default, as the docker CLI does with pools', () => {
    assert.deepEqual(parseIpv4Prefix('10.20.1.7/16'), { base: ip('10.20.0.0'), bits: 16 });
  });

  it('keeps the host bits when asked', () => {
    assert.deepEqual(parseIpv4Prefix('10.20.1.7/16', false), { base: ip('10.20.1.7'), bits: 16 });
  });

  it('reads /0 and /32', () => {
    assert.deepEqual(parseIpv4Prefix('10.1.2.3/0'), { base: 0, bits: 0 });
    assert.deepEqual(parseIpv4Prefix('255.255.255.255/32'), { base: 0xffffffff, bits: 32 });
  });

  it('refuses malformed prefixes', () => {
    for (const text of ['10.0.0.0', '10.0.0.0/', '10.0.0.0/33', '10.0.0.0/-1', '10.0.0.0/100', '10.0.0/8', 'fd00::/8', '10.0.0.0/8/8']) {
      assert.equal(parseIpv4Prefix(text), undefined, text);
    }
  });
});

describe('maskAddress, prefixSize, formatPrefix', () => {
  it('masks to the prefix length', () => {
    assert.equal(maskAddress(ip('10.20.30.40'), 8), ip('10.0.0.0'));
    assert.equal(maskAddress(ip('10.20.30.40'), 24), ip('10.20.30.0'));
    assert.equal(maskAddress(ip('255.255.255.255'), 32), 0xffffffff);
    assert.equal(maskAddress(ip('255.255.255.255'), 1), ip('128.0.0.0'));
    assert.equal(maskAddress(ip('255.255.255.255'), 0), 0);
  });

  it('sizes prefixes', () => {
    assert.equal(prefixSize(32), 1);
    assert.equal(prefixSize(24), 256);
    assert.equal(prefixSize(0), 2 ** 32);
  });

  it('formats a prefix', () => {
    assert.equal(formatPrefix({ base: ip('10.0.5.0'), bits: 24 }), '10.0.5.0/24');
  });
});

describe('prefixesOverlap', () => {
  const p = (text: string) => parseIpv4Prefix(text)!;

  it('sees containment and equality as overlap, both ways', () => {
    assert.equal(prefixesOverlap(p('10.0.0.0/8'), p('10.20.0.0/16')), true);
    assert.equal(prefixesOverlap(p('10.20.0.0/16'), p('10.0.0.0/8')), true);
    assert.equal(prefixesOverlap(p('10.0.5.0/24'), p('10.0.5.0/24')), true);
  });

  it('sees adjacent prefixes as disjoint', () => {
    assert.equal(prefixesOverlap(p('10.0.4.0/24'), p('10.0.5.0/24')), false);
    assert.equal(prefixesOverlap(p('10.0.5.0/24'), p('10.0.4.0/24')), false);
    assert.equal(prefixesOverlap(p('255.255.255.0/24'), p('255.255.254.0/24')), false);
  });
});

describe('isIpv6Literal', () => {
  it('tells IPv6 text by its colons', () => {
    assert.equal(isIpv6Literal('fd00::/8'), true);
    assert.equal(isIpv6Literal('::1'), true);
    assert.equal(isIpv6Literal('10.0.0.0/8'), false);
  });
});
