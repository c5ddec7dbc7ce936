/**
 * `node dist/bench/cidr-parsing.js`: what parsing a CIDR costs with `ip-cidr` (user-given CIDRs:
 * pools, `--subnet`, `--ip-range`, `--gateway`) next to the integer parser of
 * libs/domain/src/net/ipv4.ts, which the allocator and every replay of the log use for subnets
 * already checked (decision 0019). No stack: the two parsers in this process.
 */
import { performance } from 'node:perf_hooks';
import { cidrContains, formatIpv4, isIpv4Address, parseCidr, parseIpv4, parseIpv4Prefix, prefixSize } from '#domain';
import { timePerCall } from './support/time-per-call.js';


/** The 65,536 /24s of 10.0.0.0/8, as the subnets of a full log read them at replay. */
const subnets = Array.from({ length: 65_536 }, (_, i) => `${formatIpv4(0x0a000000 + i * 256)}/24`);
const ITERATIONS = 200_000;
const subnet = (i: number): string => subnets[i % subnets.length]!;
const integerContains = (text: string, address: string): boolean => {
  const prefix = parseIpv4Prefix(text, true);
  const ip = parseIpv4(address);
  return prefix !== undefined && ip !== undefined && ip >= prefix.base && ip < prefix.base + prefixSize(prefix.bits);
};

const rows = [
  { what: 'parse a subnet (a.b.c.d/n -> base, bits)', ipCidrUs: timePerCall((i) => parseCidr(subnet(i)), ITERATIONS), integerUs: timePerCall((i) => parseIpv4Prefix(subnet(i), true), ITERATIONS) },
  { what: 'refuse a malformed subnet (01.2.3.4/8)', ipCidrUs: timePerCall(() => parseCidr('01.2.3.4/8'), ITERATIONS), integerUs: timePerCall(() => parseIpv4Prefix('01.2.3.4/8', true), ITERATIONS) },
  { what: 'check an address (--gateway)', ipCidrUs: timePerCall(() => isIpv4Address('10.24.1.254'), ITERATIONS), integerUs: timePerCall(() => parseIpv4('10.24.1.254'), ITERATIONS) },
  { what: 'gateway in subnet (parse both, contains)', ipCidrUs: timePerCall((i) => cidrContains(subnet(i), '10.24.1.254'), ITERATIONS), integerUs: timePerCall((i) => integerContains(subnet(i), '10.24.1.254'), ITERATIONS) },
];
const replay = (parse: (text: string) => unknown): number => {
  const start = performance.now();
  for (const text of subnets) parse(text);
  return performance.now() - start;
};
replay((t) => parseCidr(t));
replay((t) => parseIpv4Prefix(t, true));
const replayMs = { ipCidr: replay((t) => parseCidr(t)), integer: replay((t) => parseIpv4Prefix(t, true)) };

console.log(`node ${process.version}, ${ITERATIONS} calls per figure, microseconds per call`);
console.log('what                                          ip-cidr   integer   ratio');
for (const r of rows) console.log(`${r.what.padEnd(44)}${r.ipCidrUs.toFixed(3).padStart(9)}${r.integerUs.toFixed(3).padStart(10)}${(r.ipCidrUs / r.integerUs).toFixed(0).padStart(7)}x`);
console.log(`replay of 65,536 subnets (a full 10.0.0.0/8 at /24): ip-cidr ${replayMs.ipCidr.toFixed(1)} ms, integer ${replayMs.integer.toFixed(1)} ms`);
console.log(JSON.stringify({ rows, replayMs }));
