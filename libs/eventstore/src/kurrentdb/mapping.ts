/**
 * Between the port's numbers and KurrentDB's.
 *
 * Revisions: KurrentDB numbers the events of a stream 0, 1, 2... (`bigint`); the port's revision
 * is that number. Expected `no_stream` and `any` are KurrentDB's own states of the same names.
 *
 * Positions: the port's global position is the `$all` commit position of the event. The client
 * gives a `{commit, prepare}` pair; for events appended one request at a time (every gRPC append,
 * single or several events) both are the event's own log position, unique and increasing in
 * `$all` order. Events written in the legacy TCP API's explicit transactions share a commit
 * position; the adapter refuses them rather than hand out a position twice. Reading from a
 * position passes `{commit: p, prepare: p}`, which is only valid at an event's exact position
 * (see reader.ts for how other positions are resolved).
 */
import type { Position, StreamState } from '@kurrent/kurrentdb-client';

import { WrongExpectedRevisionError, type ExpectedRevision } from '../port.js';

/** `ulong.MaxValue`: what the server sends for "no position" in some replies. */
const NO_POSITION = 0xffff_ffff_ffff_ffffn;

/** An event or reply without a usable `$all` position. */
export class MissingPositionError extends Error {
  constructor(what: string) {
    super(
      `KurrentDB gave no $all position for ${what}: the adapter needs KurrentDB / EventStoreDB 22.6 or later ` +
        'and events not written in explicit (TCP API) transactions',
    );
    this.name = 'MissingPositionError';
  }
}

export function toStreamState(stream: string, expected: ExpectedRevision): StreamState {
  if (expected === 'any' || expected === 'no_stream') return expected;
  if (!(Number.isInteger(expected) && expected >= 0)) {
    throw new RangeError(`append to ${stream}: expected revision must be a non-negative integer, got ${String(expected)}`);
  }
  return BigInt(expected);
}

/** A server counter as a number; throws past 2^53 (9 PB of log), where numbers stop being exact. */
export function toSafeNumber(value: bigint, what: string): number {
  if (value < 0n || value > BigInt(Number.MAX_SAFE_INTEGER)) throw new RangeError(`${what} ${value} is out of range`);
  return Number(value);
}

/** True when the pair is a real position (not absent, not the "no position" marker). */
export function hasPosition(position: Position | undefined): position is Position {
  return position !== undefined && position.commit > 0n && position.commit !== NO_POSITION;
}

/** The port's global position of an event; `what` names the event in the error. */
export function toGlobalPosition(position: Position | undefined, what: string): number {
  if (!hasPosition(position)) throw new MissingPositionError(what);
  if (position.prepare !== position.commit) {
    throw new Error(`${what} was written in an explicit transaction (commit ${position.commit}, prepare ${position.prepare}); not supported`);
  }
  return toSafeNumber(position.commit, `$all position of ${what}`);
}

/** Where a read or subscription starts: only valid at an event's exact position. */
export function toReadPosition(position: number): Position {
  if (!(Number.isInteger(position) && position >= 0)) throw new RangeError(`position must be a non-negative integer, got ${position}`);
  const value = BigInt(position);
  return { commit: value, prepare: value };
}

/** What the client's errors carry in `type` (its ErrorType enum). */
interface TypedError {
  readonly type?: unknown;
  readonly actualState?: unknown;
}

export function errorType(err: unknown): string | undefined {
  if (!(err instanceof Error)) return undefined;
  const { type } = err as TypedError;
  return typeof type === 'string' ? type : undefined;
}

/** The client's WrongExpectedVersionError as the port's conflict error; any other error unchanged. */
export function mapAppendError(err: unknown, stream: string, expected: ExpectedRevision): unknown {
  if (errorType(err) !== 'wrong-expected-version') return err;
  return new WrongExpectedRevisionError(stream, expected, actualRevision((err as TypedError).actualState));
}

/** KurrentDB's current stream state as the port's `actual`: a revision, `no_stream` or `unknown`. */
export function actualRevision(state: unknown): number | 'no_stream' | 'unknown' {
  if (state === 'no_stream') return 'no_stream';
  if (typeof state === 'bigint' && state >= 0n && state <= BigInt(Number.MAX_SAFE_INTEGER)) return Number(state);
  if (typeof state === 'bigint' && state === -1n) return 'no_stream';
  return 'unknown';
}

/** Errors after which a subscription is re-opened from its last delivered position. */
const TRANSIENT = new Set(['unavailable', 'deadline-exceeded', 'not-leader', 'timeout']);

export function isTransientError(err: unknown): boolean {
  const type = errorType(err);
  return type !== undefined && TRANSIENT.has(type);
}
