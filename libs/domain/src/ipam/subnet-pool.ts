import { formatPrefix, prefixSize, type Ipv4Prefix } from '../net/ipv4.js';

/**
 * Subnets of one size handed out from pools walked in order, lowest free first (Docker 27+: a
 * freed subnet is reused at once), plus explicit subnets of any size. The cost stays flat as the
 * pools fill: taken ranges live in sorted arrays (binary search), and each pool keeps a hint below
 * which no free slot exists, so a search skips what earlier searches already walked. No list of
 * all candidate subnets is ever built.
 *
 * Mutable by design (a /8 at /24 is 65,536 entries): it belongs to one NetworkSpace.
 */
export class SubnetPool {
  private readonly starts: number[] = [];
  private readonly ends: number[] = [];
  /** Per pool: every aligned slot below the hint is taken. */
  private readonly hints: number[];
  private readonly step: number;

  constructor(
    readonly pools: readonly Ipv4Prefix[],
    readonly subnetBits: number,
  ) {
    this.hints = pools.map((pool) => pool.base);
    this.step = prefixSize(subnetBits);
  }

  get allocatedCount(): number {
    return this.starts.length;
  }

  /** The lowest free subnet of the configured size, or undefined when every pool is full. */
  lowestFree(): Ipv4Prefix | undefined {
    for (let i = 0; i < this.pools.length; i++) {
      const pool = this.pools[i]!;
      const found = this.firstFreeFrom(pool, this.hints[i]!);
      // Remembering how far the search got changes no answer: everything skipped is taken.
      this.hints[i] = found ?? pool.base + prefixSize(pool.bits);
      if (found !== undefined) return { base: found, bits: this.subnetBits };
    }
    return undefined;
  }

  /** Whether any taken range overlaps `prefix`. */
  overlaps(prefix: Ipv4Prefix): boolean {
    const end = prefix.base + prefixSize(prefix.bits);
    const index = this.firstEndingAfter(prefix.base);
    const start = this.starts[index];
    return start !== undefined && start < end;
  }

  take(prefix: Ipv4Prefix): void {
    const index = this.firstEndingAfter(prefix.base);
    this.starts.splice(index, 0, prefix.base);
    this.ends.splice(index, 0, prefix.base + prefixSize(prefix.bits));
  }

  release(prefix: Ipv4Prefix): void {
    const index = this.firstEndingAfter(prefix.base);
    if (this.starts[index] !== prefix.base) throw new Error(`${formatPrefix(prefix)} is not allocated`);
    this.starts.splice(index, 1);
    this.ends.splice(index, 1);
    for (let i = 0; i < this.pools.length; i++) {
      const pool = this.pools[i]!;
      const poolEnd = pool.base + prefixSize(pool.bits);
      if (prefix.base >= poolEnd || prefix.base + prefixSize(prefix.bits) <= pool.base) continue;
      const from = Math.max(prefix.base, pool.base);
      this.hints[i] = Math.min(this.hints[i]!, from - ((from - pool.base) % this.step));
    }
  }

  private firstFreeFrom(pool: Ipv4Prefix, hint: number): number | undefined {
    const poolEnd = pool.base + prefixSize(pool.bits);
    let candidate = hint;
    let index = this.firstEndingAfter(candidate);
    while (candidate + this.step <= poolEnd) {
      const start = this.starts[index];
      if (start === undefined || start >= candidate + this.step) return candidate;
      const blockEnd = this.ends[index]!;
      candidate = Math.max(candidate, pool.base + Math.ceil((blockEnd - pool.base) / this.step) * this.step);
      index += 1;
    }
    return undefined;
  }

  /** Index of the first taken range whose end lies after `address` (binary search). */
  private firstEndingAfter(address: number): number {
    let low = 0;
    let high = this.ends.length;
    while (low < high) {
      const mid = (low + high) >>> 1;
      if (this.ends[mid]! <= address) low = mid + 1;
      else high = mid;
    }
    return low;
  }
}

/**
 * VXLAN IDs from 4096 up, handed out serially as the Engine's overlay driver does (a cursor that
 * continues after the last ID given and wraps): a freed ID is not reused until the cursor comes
 * round. Mutable, like SubnetPool.
 */
export class VxlanIdPool {
  private readonly used = new Set<number>();
  private next: number;

  constructor(readonly first = 4096, readonly last = 2 ** 24 - 1) {
    this.next = first;
  }

  nextFree(): number | undefined {
    if (this.used.size >= this.last - this.first + 1) return undefined;
    let id = this.next;
    while (this.used.has(id)) id = id >= this.last ? this.first : id + 1;
    return id;
  }

  take(id: number): void {
    this.used.add(id);
    this.next = id >= this.last ? this.first : id + 1;
  }

  release(id: number): void {
    this.used.delete(id);
  }

  /** Where the next search starts: saved and put back by a batch that undoes its tentative takes. */
  get cursor(): number {
    return this.next;
  }

  set cursor(id: number) {
    this.next = id;
  }
}
