import type { JoinTokenEvent } from '#contracts';
import type { PreparedSecret } from './join-tokens.js';

/** One join token as far as its age goes: which token (fingerprint), since when, already marked aged. */
export interface TokenAge {
  readonly fingerprint: string;
  readonly since: string;
  readonly aged: boolean;
}

/** The ages of a cluster's two join tokens (stream `jointokens-<clusterId>`). */
export interface TokenAges {
  readonly clusterId?: string;
  /** The CA digest both tokens carry (a new secret is fingerprinted as the whole token). */
  readonly caDigest?: string;
  readonly worker?: TokenAge;
  readonly manager?: TokenAge;
}

export const initialTokenAges: TokenAges = {};

export type Role = 'worker' | 'manager';

/** `time` is the recorded event's time: a token is as old as the event that made it. */
export function evolveTokenAges(state: TokenAges, event: JoinTokenEvent & { readonly time: string }): TokenAges {
  switch (event.type) {
    case 'JoinTokensIssued':
    case 'JoinTokensReissued': {
      // Issued at init, or both made anew at the end of a root rotation: both young.
      const d = event.data;
      return {
        clusterId: d.clusterId,
        caDigest: d.caDigest,
        worker: { fingerprint: d.workerFingerprint, since: event.time, aged: false },
        manager: { fingerprint: d.managerFingerprint, since: event.time, aged: false },
      };
    }
    case 'JoinTokenRotated':
      return { ...state, [event.data.role]: { fingerprint: event.data.fingerprint, since: event.time, aged: false } };
    case 'JoinTokenAgeExceeded': {
      const current = state[event.data.role];
      return current && current.fingerprint === event.data.fingerprint ? { ...state, [event.data.role]: { ...current, aged: true } } : state;
    }
    default: {
      const unknown: never = event;
      return unknown;
    }
  }
}

/** The tokens older than `maxAgeMs` at `nowMs` that are not marked yet. */
export function tokensPastAge(state: TokenAges, nowMs: number, maxAgeMs: number): Role[] {
  return (['worker', 'manager'] as const).filter((role) => {
    const token = state[role];
    return token !== undefined && !token.aged && nowMs - Date.parse(token.since) >= maxAgeMs;
  });
}

/** When the next unmarked token passes the age (ms since the epoch), or undefined when none is left. */
export function nextAgeMoment(state: TokenAges, maxAgeMs: number): number | undefined {
  const moments = (['worker', 'manager'] as const)
    .map((role) => state[role])
    .filter((token): token is TokenAge => token !== undefined && !token.aged)
    .map((token) => Date.parse(token.since) + maxAgeMs);
  return moments.length > 0 ? Math.min(...moments) : undefined;
}

export interface MarkTokensAged {
  readonly type: 'MarkTokensAged';
  readonly nowMs: number;
  readonly maxAgeMs: number;
  /** With `SWARM_TOKEN_AUTO_ROTATE`: a new secret per role, made before the command. */
  readonly rotateWith?: Readonly<Record<Role, PreparedSecret>>;
}

/**
 * Marks each token past the age once (by its fingerprint), and with `rotateWith` gives it a new
 * secret in the same append. Nothing when no token is past the age or all are marked already.
 */
export function decideTokenAge(command: MarkTokensAged, state: TokenAges): JoinTokenEvent[] {
  const clusterId = state.clusterId;
  if (!clusterId) return [];
  return tokensPastAge(state, command.nowMs, command.maxAgeMs).flatMap((role): JoinTokenEvent[] => {
    const token = state[role]!;
    const secret = command.rotateWith?.[role];
    const aged: JoinTokenEvent = {
      type: 'JoinTokenAgeExceeded',
      data: { clusterId, role, fingerprint: token.fingerprint, issuedAt: token.since, maxAgeSeconds: Math.floor(command.maxAgeMs / 1000), autoRotate: secret !== undefined },
    };
    if (!secret) return [aged];
    return [aged, { type: 'JoinTokenRotated', data: { clusterId, role, secret: secret.sealed, fingerprint: secret.fingerprint } }];
  });
}
