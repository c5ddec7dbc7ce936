/**
 * Appending: one `appendToStream` call with the expected revision as KurrentDB's expected stream
 * state. Unlike JetStream 2.9, an append of several events is atomic on KurrentDB.
 *
 * Idempotency: the server recognises a retried append by its event ids (`kurrentEventId`) and
 * answers with the revision of the events already stored, but without a position. A missing
 * position, and the position of the last of several events (the reply describes the request,
 * not each event), are read back from the stream: one extra round trip for these cases only.
 * With `any` the server's check relies on a cache of recent event ids, so an old retry may store
 * an event twice; every command of this system names an exact revision or `no_stream`.
 */
import type { AppendResult as KurrentAppendResult } from '@kurrent/kurrentdb-client';

import { prepareNewEvent } from '../new-event.js';
import { WrongExpectedRevisionError, type AppendResult, type ExpectedRevision, type NewEvent } from '../port.js';
import { assertValidStreamName } from '../stream-name.js';
import { encodeEvent } from './codec.js';
import { actualRevision, hasPosition, mapAppendError, MissingPositionError, toGlobalPosition, toSafeNumber, toStreamState } from './mapping.js';
import type { KurrentDbContext } from './options.js';

export async function appendEvents(
  ctx: KurrentDbContext,
  stream: string,
  events: readonly NewEvent[],
  expected: ExpectedRevision,
): Promise<AppendResult> {
  assertValidStreamName(stream);
  if (events.length === 0) throw new RangeError(`append to ${stream}: no events`);
  const streamState = toStreamState(stream, expected);
  const data = events.map((event) => encodeEvent(prepareNewEvent(event))); // validate all before sending any
  let result: KurrentAppendResult;
  try {
    result = await ctx.client.appendToStream(stream, data, { streamState });
  } catch (err) {
    throw mapAppendError(err, stream, expected);
  }
  if (!result.success) {
    // Only when the client was built with throwOnAppendFailure=false: same meaning as the error.
    throw new WrongExpectedRevisionError(stream, expected, actualRevision(result.nextExpectedRevision));
  }
  const revision = toSafeNumber(result.nextExpectedRevision, `revision of ${stream}`);
  const position =
    events.length === 1 && hasPosition(result.position)
      ? toGlobalPosition(result.position, `the event appended to ${stream}`)
      : await positionOfRevision(ctx, stream, result.nextExpectedRevision);
  return { nextExpectedRevision: revision, position };
}

/** The `$all` position of the event at `revision` of `stream`. */
async function positionOfRevision(ctx: KurrentDbContext, stream: string, revision: bigint): Promise<number> {
  const events = ctx.client.readStream(stream, { fromRevision: revision, direction: 'backwards', maxCount: 1 });
  for await (const resolved of events) {
    if (resolved.event?.revision === revision) return toGlobalPosition(resolved.event.position, `event ${revision} of ${stream}`);
  }
  throw new MissingPositionError(`event ${revision} of ${stream} (not found when read back)`);
}
