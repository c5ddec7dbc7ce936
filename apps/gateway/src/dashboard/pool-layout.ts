/**
 * The address pools as a picture: each default pool cut into its subnets at the pool's mask
 * length, each subnet's state (free, ingress, a network's, an explicit subnet's), and the networks
 * whose subnet lies in no pool. Pure and DOM-free: the page draws it, the unit tests check it.
 */

export const enum CellState {
  Free = 0,
  Network = 1,
  Explicit = 2,
  Ingress = 3,
}

export interface PoolNetwork {
  readonly name: string;
  readonly subnet: string;
  readonly ingress: boolean;
  readonly explicit: boolean;
}

export interface PoolPicture {
  readonly pool: string;
  /** Subnets of the pool at the mask length. */
  readonly subnets: number;
  /** Subnets per drawn cell: 1, unless the pool has more than MAX_CELLS subnets. */
  readonly span: number;
  /** One state per drawn cell (the strongest state among its subnets). */
  readonly states: Uint8Array;
  /** Per drawn cell, the index in `networks` of the network shown for it, or -1. */
  readonly owners: Int32Array;
  readonly used: number;
  readonly free: number;
}

export interface PoolLayout {
  readonly pools: readonly PoolPicture[];
  /** Networks whose subnet lies outside every default pool (explicit subnets elsewhere). */
  readonly outside: readonly number[];
}

/** More subnets than this in one pool are drawn several to a cell (a /8 at /24 is 65,536). */
export const MAX_CELLS = 65_536;

/** `a.b.c.d/n` as the network's first address (host bits cleared) and its prefix length. */
export function parseCidr(cidr: string): { base: number; prefix: number } | undefined {
  const match = /^(\d{1,3})\.(\d{1,3})\.(\d{1,3})\.(\d{1,3})\/(\d{1,2})$/.exec(cidr.trim());
  if (!match) return undefined;
  const octets = match.slice(1, 5).map(Number);
  const prefix = Number(match[5]);
  if (octets.some((o) => o > 255) || prefix > 32) return undefined;
  const address = octets.reduce((sum, o) => sum * 256 + o, 0);
  const size = 2 ** (32 - prefix);
  return { base: address - (address % size), prefix };
}

/** The dotted form of an address. */
export function formatAddress(address: number): string {
  return [24, 16, 8, 0].map((shift) => Math.floor(address / 2 ** shift) % 256).join('.');
}

/** The subnet at `index` (mask length `subnetSize`) of `pool`, as a CIDR. */
export function subnetAt(pool: string, subnetSize: number, index: number): string {
  const parsed = parseCidr(pool);
  return parsed ? `${formatAddress(parsed.base + index * 2 ** (32 - subnetSize))}/${subnetSize}` : '';
}

function stateOf(network: PoolNetwork): CellState {
  return network.ingress ? CellState.Ingress : network.explicit ? CellState.Explicit : CellState.Network;
}

export function layoutPools(pools: readonly string[], subnetSize: number, networks: readonly PoolNetwork[]): PoolLayout {
  const parsedPools = pools.map((pool) => ({ pool, range: parseCidr(pool) }));
  const pictures = parsedPools.map(({ pool, range }) => {
    const subnets = range && subnetSize >= range.prefix ? 2 ** (subnetSize - range.prefix) : 0;
    const span = Math.max(1, 2 ** Math.ceil(Math.log2(Math.max(1, subnets / MAX_CELLS))));
    const cells = Math.ceil(subnets / span);
    return { pool, subnets, span, states: new Uint8Array(cells), owners: new Int32Array(cells).fill(-1), used: 0, free: subnets };
  });
  const outside: number[] = [];
  networks.forEach((network, index) => {
    const net = parseCidr(network.subnet);
    const at = net ? parsedPools.findIndex(({ range }) => range !== undefined && contains(range, net)) : -1;
    const picture = pictures[at];
    const range = parsedPools[at]?.range;
    if (!net || !picture || !range || picture.subnets === 0) return void outside.push(index);
    const subnetBytes = 2 ** (32 - subnetSize);
    const first = Math.floor((net.base - range.base) / subnetBytes);
    const covered = net.prefix >= subnetSize ? 1 : 2 ** (subnetSize - net.prefix);
    const state = stateOf(network);
    for (let cell = Math.floor(first / picture.span); cell <= Math.floor((first + covered - 1) / picture.span); cell++) {
      if (state >= picture.states[cell]!) {
        picture.states[cell] = state;
        picture.owners[cell] = index;
      }
    }
    picture.used += covered;
    picture.free = Math.max(0, picture.subnets - picture.used);
  });
  return { pools: pictures, outside };
}

function contains(outer: { base: number; prefix: number }, inner: { base: number; prefix: number }): boolean {
  return inner.prefix >= outer.prefix && inner.base >= outer.base && inner.base < outer.base + 2 ** (32 - outer.prefix);
}
