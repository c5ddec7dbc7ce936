/**
 * Reading one stream, or `$all` filtered to our streams (OWN_STREAMS_FILTER), in global order.
 *
 * KurrentDB reads `$all` from an exact event position only (another number is rejected as an
 * invalid position, or on old servers misread). The port lets callers start anywhere, so a start
 * is resolved first:
 *  - 0 or 1: the start of `$all`;
 *  - an event's exact position (the usual case: a checkpoint is the position of the last event a
 *    reader handled): a one-event probe read confirms it, one round trip;
 *  - anything else: `$all` is read backwards from the end until an event before the start,
 *    which costs one read of every event after the start.
 * A start by time has no index on KurrentDB either: the same backward read runs until an event
 * created before that time, so it costs one read of every event after it. Both are fine for the
 * recent past and slow for a start far back in a large log (see docs/decisions/0007).
 *
 * Times: `fromTime`/`toTime` compare with the server's `created` time of each event
 * (millisecond precision through the client), not with the event's own `time` field.
 */
import type { Position, ReadPosition, RecordedEvent as KurrentRecordedEvent } from '@kurrent/kurrentdb-client';

import type { ReadAllOptions, ReadStreamResult, RecordedEvent } from '../port.js';
import { assertValidStreamName } from '../stream-name.js';
import { decodeEvent } from './codec.js';
import { errorType, toGlobalPosition, toReadPosition } from './mapping.js';
import { OWN_STREAMS_FILTER, type KurrentDbContext } from './options.js';

export async function readStream(ctx: KurrentDbContext, stream: string): Promise<ReadStreamResult> {
  assertValidStreamName(stream);
  const events: RecordedEvent[] = [];
  try {
    for await (const resolved of ctx.client.readStream(stream)) {
      if (resolved.event) events.push(decodeEvent(resolved.event));
    }
  } catch (err) {
    if (errorType(err) === 'stream-not-found') return { events: [], revision: 'no_stream' };
    throw err;
  }
  return { events, revision: events.at(-1)?.revision ?? 'no_stream' };
}

/** Position of our last stored event, 0 when there is none. */
export async function headPosition(ctx: KurrentDbContext): Promise<number> {
  const last = ctx.client.readAll({ direction: 'backwards', fromPosition: 'end', maxCount: 1, filter: OWN_STREAMS_FILTER });
  for await (const resolved of last) if (resolved.event) return positionOf(resolved.event);
  return 0;
}

/** Position of the last event of `stream`, 0 when it has none. */
export async function lastPositionOf(ctx: KurrentDbContext, stream: string): Promise<number> {
  assertValidStreamName(stream);
  try {
    const last = ctx.client.readStream(stream, { direction: 'backwards', fromRevision: 'end', maxCount: 1 });
    for await (const resolved of last) if (resolved.event) return positionOf(resolved.event);
  } catch (err) {
    if (errorType(err) === 'stream-not-found') return 0;
    throw err;
  }
  return 0;
}

export async function* readAll(ctx: KurrentDbContext, options: ReadAllOptions = {}): AsyncGenerator<RecordedEvent> {
  const { fromPosition, fromTime, toPosition, toTime } = options;
  const head = await headPosition(ctx);
  const end = toPosition === undefined ? head : Math.min(toPosition, head);
  if (end < 1 || (fromPosition !== undefined && fromPosition > end)) return;
  const start =
    fromPosition !== undefined
      ? await startAtOrAfter(ctx, fromPosition)
      : fromTime === undefined
        ? 'start'
        : await startAtOrAfterTime(ctx, fromTime);
  if (start === undefined) return;
  const toMs = toTime?.getTime();
  for await (const resolved of ctx.client.readAll({ fromPosition: start, filter: OWN_STREAMS_FILTER })) {
    if (!resolved.event) continue;
    const event = decodeEvent(resolved.event);
    if (event.position > end) return;
    if (toMs !== undefined && resolved.event.created.getTime() > toMs) return;
    yield event;
  }
}

/** Where to read from to get exactly the events at or after `position`; undefined: none. */
async function startAtOrAfter(ctx: KurrentDbContext, position: number): Promise<ReadPosition | undefined> {
  if (position <= 1) return 'start';
  if (await isEventPosition(ctx, position)) return toReadPosition(position);
  const { first } = await scanBackward(ctx, (event) => positionOf(event) < position);
  return first === undefined ? undefined : toReadPosition(first);
}

async function startAtOrAfterTime(ctx: KurrentDbContext, time: Date): Promise<ReadPosition | undefined> {
  const ms = time.getTime();
  const { first } = await scanBackward(ctx, (event) => event.created.getTime() < ms);
  return first === undefined ? undefined : toReadPosition(first);
}

/**
 * Where a subscription (which starts after the position it is given) must start to deliver
 * exactly the events after `position`.
 */
export async function subscriptionStart(ctx: KurrentDbContext, position: number): Promise<ReadPosition> {
  if (position < 1) return 'start';
  if (await isEventPosition(ctx, position)) return toReadPosition(position);
  const { before } = await scanBackward(ctx, (event) => positionOf(event) <= position);
  return before === undefined ? 'start' : toReadPosition(before);
}

/**
 * True when some event (ours or the server's) is stored exactly at `position`. A read from
 * another number fails on current servers; any failure here means "no", and the caller falls
 * back to a scan that surfaces real connection errors.
 */
async function isEventPosition(ctx: KurrentDbContext, position: number): Promise<boolean> {
  try {
    for await (const resolved of ctx.client.readAll({ fromPosition: toReadPosition(position), maxCount: 1 })) {
      const at: Position | undefined = resolved.event?.position;
      return at !== undefined && at.commit === BigInt(position) && at.prepare === BigInt(position);
    }
    return false;
  } catch {
    return false;
  }
}

/**
 * Reads our events backwards from the end until `isBefore` holds: `before` is that event's
 * position, `first` the position of the earliest event read for which it did not hold.
 */
async function scanBackward(
  ctx: KurrentDbContext,
  isBefore: (event: KurrentRecordedEvent) => boolean,
): Promise<{ first?: number; before?: number }> {
  let first: number | undefined;
  const events = ctx.client.readAll({ direction: 'backwards', fromPosition: 'end', filter: OWN_STREAMS_FILTER });
  for await (const resolved of events) {
    if (!resolved.event) continue;
    if (isBefore(resolved.event)) return { first, before: positionOf(resolved.event) };
    first = positionOf(resolved.event);
  }
  return { first };
}

function positionOf(event: KurrentRecordedEvent): number {
  return toGlobalPosition(event.position, `event ${event.revision} of ${event.streamId}`);
}
