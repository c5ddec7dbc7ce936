import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import fc from 'fast-check';
import { cidrContains, isIpv4Address, parseCidr } from './cidr.js';
import { formatIpv4, parseIpv4, parseIpv4Prefix } from './ipv4.js';

describe('user-given CIDRs through ip-cidr', () => {
  it('reads the network a CIDR names, host bits cleared', () => {
    assert.deepEqual(parseCidr('10.0.0.0/8'), { base: 0x0a000000, bits: 8 });
    assert.deepEqual(parseCidr('10.24.1.5/24'), { base: 0x0a180100, bits: 24 });
    assert.deepEqual(parseCidr('0.0.0.0/0'), { base: 0, bits: 0 });
    assert.deepEqual(parseCidr('255.255.255.255/32'), { base: 0xffffffff, bits: 32 });
    assert.deepEqual(parseCidr('192.168.0.0/08'), { base: 0xc0000000, bits: 8 }, 'a leading zero in the length, as Go reads it');
  });

  it('refuses what Go\'s net.ParseCIDR refuses (and a 3-digit length, see decision 0019)', () => {
    for (const text of ['', 'foo', '10.0.0.0', '10.0.0.0/', '10.0.0.0/33', '01.2.3.4/8', '256.0.0.0/8', '1.2.3/8', '1.2.3.4.5/8', ' 10.0.0.0/8', '10.0.0.0/8 ', '10.0.0.0/8\n', '10.0.0.0/+8', '10.0.0.0/-1', '10.0.0.0/1a', '10.0.0.0/008']) {
      assert.equal(parseCidr(text), undefined, JSON.stringify(text));
    }
  });

  it('IPv4 only: ip-cidr\'s reading of `x:a.b.c.d/n` as a.b.c.d/n is refused, and so is IPv6', () => {
    for (const text of ['x:1.2.3.0/24', '::ffff:1.2.3.0/120', 'fd00::/64']) assert.equal(parseCidr(text), undefined, text);
    for (const text of ['x:10.0.0.1', '::1', '10.0.0.1/24']) assert.equal(isIpv4Address(text), false, text);
  });

  it('checks addresses against a CIDR as written (host bits of the subnet ignored)', () => {
    assert.equal(cidrContains('10.24.1.5/24', '10.24.1.1'), true);
    assert.equal(cidrContains('10.24.1.5/24', '10.24.1.255'), true);
    assert.equal(cidrContains('10.24.1.5/24', '10.24.2.0'), false);
    assert.equal(cidrContains('10.22.0.0/24', '10.23.0.1'), false);
    assert.equal(cidrContains('10.22.0.0/24', 'x:10.22.0.1'), false);
    assert.equal(cidrContains('foo', '10.22.0.1'), false);
  });

  it('agrees with the integer parser the allocator and the replay use, on any text', () => {
    const octet = fc.oneof(fc.integer({ min: 0, max: 300 }).map(String), fc.constantFrom('01', '00', '', 'a', '-1', ' 1'));
    const cidrText = fc.oneof(
      fc.tuple(octet, octet, octet, octet, fc.oneof(fc.integer({ min: 0, max: 40 }).map(String), fc.constantFrom('08', '', 'x', '008')))
        .map(([a, b, c, d, n]) => `${a}.${b}.${c}.${d}/${n}`),
      fc.string({ maxLength: 20 }),
    );
    fc.assert(
      fc.property(cidrText, (text) => {
        assert.deepEqual(parseCidr(text), parseIpv4Prefix(text, true), JSON.stringify(text));
      }),
      { numRuns: 5000 },
    );
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 0xffffffff }), fc.integer({ min: 0, max: 32 }), (address, bits) => {
        const text = `${formatIpv4(address)}/${bits}`;
        assert.deepEqual(parseCidr(text), parseIpv4Prefix(text, true), text);
        assert.equal(isIpv4Address(formatIpv4(address)), parseIpv4(formatIpv4(address)) !== undefined);
      }),
      { numRuns: 2000 },
    );
  });
});
