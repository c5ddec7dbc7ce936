import { formatIpv4, formatPrefix, parseIpv4Prefix, prefixSize, type Ipv4Prefix } from '../net/ipv4.js';

/** What an allocator needs to know: the pools in order, the subnet size, what is taken. */
export interface AllocatorState {
  readonly pools: readonly Ipv4Prefix[];
  readonly subnetBits: number;
  /** Allocated prefixes sorted by base address. */
  readonly allocated: readonly Ipv4Prefix[];
}

export function allocatorState(pools: readonly string[], subnetBits: number): AllocatorState {
  const parsed = pools.map((pool) => {
    const prefix = parseIpv4Prefix(pool);
    if (!prefix) throw new Error(`not an IPv4 pool: ${pool}`);
    return prefix;
  });
  return { pools: parsed, subnetBits, allocated: [] };
}

export function withAllocated(state: AllocatorState, subnet: Ipv4Prefix): AllocatorState {
  const allocated = [...state.allocated];
  allocated.splice(firstIndexEndingAfter(allocated, subnet.base), 0, subnet);
  return { ...state, allocated };
}

/**
 * The lowest free subnet of the configured size, walking the pools in the order given (Docker 27+
 * first-fit: a freed subnet is reused at once). Undefined when every pool is full.
 */
export function lowestFreeSubnet(state: AllocatorState): Ipv4Prefix | undefined {
  const step = prefixSize(state.subnetBits);
  for (const pool of state.pools) {
    const poolEnd = pool.base + prefixSize(pool.bits);
    let candidate = pool.base;
    let index = firstIndexEndingAfter(state.allocated, candidate);
    while (candidate + step <= poolEnd) {
      const blocker = state.allocated[index];
      if (!blocker || blocker.base >= candidate + step) return { base: candidate, bits: state.subnetBits };
      const blockerEnd = blocker.base + prefixSize(blocker.bits);
      candidate = Math.max(candidate, Math.ceil((blockerEnd - pool.base) / step) * step + pool.base);
      index += 1;
    }
  }
  return undefined;
}

/** Index of the first allocated prefix whose end lies after `address` (binary search). */
function firstIndexEndingAfter(allocated: readonly Ipv4Prefix[], address: number): number {
  let low = 0;
  let high = allocated.length;
  while (low < high) {
    const mid = (low + high) >>> 1;
    const prefix = allocated[mid]!;
    if (prefix.base + prefixSize(prefix.bits) <= address) low = mid + 1;
    else high = mid;
  }
  return low;
}

/** The first host address of a subnet, Docker's default gateway. */
export function defaultGateway(subnet: Ipv4Prefix): string {
  return formatIpv4(subnet.base + 1);
}

export { formatPrefix };
