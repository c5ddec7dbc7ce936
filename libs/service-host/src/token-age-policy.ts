/** Injects a TokenAgePolicy (tests); without it a process reads its environment. */
export const TOKEN_AGE_POLICY = Symbol('TOKEN_AGE_POLICY');

/** How old a join token may get (`SWARM_TOKEN_MAX_AGE`) and whether it is then rotated (`SWARM_TOKEN_AUTO_ROTATE`). */
export interface TokenAgePolicy {
  readonly maxAgeMs: number;
  readonly autoRotate: boolean;
}

/** The seed's advice: rotate join tokens at least every six months. */
export const DEFAULT_TOKEN_MAX_AGE_MS = 180 * 24 * 3600 * 1000;
/** A shorter age with auto-rotation would rotate tokens faster than anyone could use them. */
const MIN_AUTO_ROTATE_AGE_MS = 60 * 1000;

const UNIT_MS: Record<string, number> = { ns: 1e-6, us: 1e-3, 'µs': 1e-3, ms: 1, s: 1000, m: 60_000, h: 3_600_000, d: 86_400_000 };

/**
 * Reads the policy from the environment: a Go duration (`4320h`, `90m`, `1h30m`) or days (`180d`).
 * Throws with a message naming the variable for anything else, so a process refuses to start.
 */
export function tokenAgePolicy(env: NodeJS.ProcessEnv = process.env): TokenAgePolicy {
  const text = env.SWARM_TOKEN_MAX_AGE?.trim();
  const maxAgeMs = text ? parseAge(text) : DEFAULT_TOKEN_MAX_AGE_MS;
  const rotate = env.SWARM_TOKEN_AUTO_ROTATE?.trim().toLowerCase() ?? '';
  if (!['', 'true', 'false', '1', '0'].includes(rotate)) throw new Error(`SWARM_TOKEN_AUTO_ROTATE=${rotate}: expected true or false`);
  const autoRotate = rotate === 'true' || rotate === '1';
  if (autoRotate && maxAgeMs < MIN_AUTO_ROTATE_AGE_MS) {
    throw new Error(`SWARM_TOKEN_MAX_AGE=${text}: with SWARM_TOKEN_AUTO_ROTATE the maximum age must be at least 1m`);
  }
  return { maxAgeMs, autoRotate };
}

function parseAge(text: string): number {
  const parts = /^(?:\d+(?:\.\d+)?(?:ns|us|µs|ms|s|m|h|d))+$/.test(text) ? text.match(/\d+(?:\.\d+)?(?:ns|us|µs|ms|s|m|h|d)/g) ?? [] : [];
  const ms = parts.reduce((sum, part) => {
    const [, value = '0', unit = 's'] = /^(\d+(?:\.\d+)?)(\D+)$/.exec(part) ?? [];
    return sum + Number(value) * (UNIT_MS[unit] ?? 0);
  }, 0);
  if (parts.length === 0 || !(ms > 0)) {
    throw new Error(`SWARM_TOKEN_MAX_AGE=${text}: expected a positive duration such as 180d, 4320h or 90m`);
  }
  return ms;
}

/** "180 days", "2 hours", "90 seconds": how a warning names the age. */
export function describeAge(ms: number): string {
  const units: [number, string][] = [[86_400_000, 'day'], [3_600_000, 'hour'], [60_000, 'minute'], [1000, 'second']];
  for (const [size, name] of units) {
    if (ms >= size && ms % size === 0) return `${ms / size} ${name}${ms / size === 1 ? '' : 's'}`;
  }
  return `${ms} ms`;
}
