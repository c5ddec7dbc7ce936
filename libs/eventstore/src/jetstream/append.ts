/**
 * Appending. Every event is one JetStream message on `<prefix>.<stream>`; its revision is its
 * stream sequence, which is also its global position (so revisions of one aggregate stream
 * increase but are not contiguous).
 *
 * Optimistic concurrency uses `Nats-Expected-Last-Subject-Sequence`: `no_stream` expects 0, a
 * number expects that sequence, `any` sends no expectation. The server answers a mismatch with
 * err_code 10071 ("wrong last sequence: <actual>"), mapped to WrongExpectedRevisionError. On a
 * replicated stream that header is not safe under concurrency (nats-server 2.9), so the check goes
 * through the stream's last sequence instead: see `publishGuarded`.
 *
 * Deduplication: `Nats-Msg-Id` is the event id. Within the stream's duplicate window the server
 * checks the id before the expectation, so retrying an append that was stored (e.g. after a lost
 * ack) succeeds and returns the original position without storing the event twice.
 *
 * Losing a NATS node: a publish that got no ack (timeout, no responders while the stream elects a
 * leader, reconnect) is retried, for up to `unavailableRetryMs`, with the SAME message id and the
 * SAME expectation. If the first attempt was in fact stored, the retry is recognised either by the
 * duplicate ack (the id is still in the window) or, should the new leader not know the id, by the
 * expectation failing on a message that carries our id right after the expected sequence: both
 * count as success with the original position. An acknowledged append is thus never doubled, and
 * an unacknowledged one is never reported as a conflict it caused itself.
 *
 * NOT ATOMIC for more than one event: nats-server 2.9 has no atomic batch publish, so N events
 * are stored one by one, each right after the previous one (pipelined, see `appendPipelined`;
 * one at a time on a replicated stream). A crash or a concurrent writer midway
 * leaves a prefix stored (retrying the same call with the same event ids completes it, thanks to
 * deduplication); PartialAppendError says how many were stored (a group commit answers those).
 */
import { JetStreamApiCodes, JetStreamApiError, type MsgRequest, type PubAck } from '@nats-io/jetstream';

import { WrongExpectedRevisionError, type AppendResult, type ExpectedRevision, type NewEvent } from '../port.js';
import { encodePayload, prepareEvent } from './codec.js';
import { streamOf, subjectOf, type JetStreamContext } from './options.js';
import { headPosition, lastSequenceOf } from './reader.js';
import { retryTransient } from './transient.js';

/** A later event of a multi-event append met a concurrent writer: the first `appended` are stored. */
export class PartialAppendError extends Error {
  constructor(
    readonly stream: string,
    readonly appended: number,
    readonly lastPosition: number,
    options?: ErrorOptions,
  ) {
    super(`append to ${stream} interrupted by a concurrent writer after ${appended} event(s)`, options);
    this.name = 'PartialAppendError';
  }
}

/** An event id within the duplicate window was first stored on another stream. */
export class DuplicateEventIdError extends Error {
  constructor(
    readonly eventId: string,
    readonly stream: string,
    readonly storedOn: string,
    readonly position: number,
  ) {
    super(`event id ${eventId} appended to ${stream} is already stored on subject ${storedOn} at ${position}`);
    this.name = 'DuplicateEventIdError';
  }
}

export async function appendEvents(
  ctx: JetStreamContext,
  stream: string,
  events: readonly NewEvent[],
  expected: ExpectedRevision,
): Promise<AppendResult> {
  const subject = subjectOf(ctx, stream);
  if (events.length === 0) throw new RangeError(`append to ${stream}: no events`);
  if (typeof expected === 'number' && !(Number.isInteger(expected) && expected >= 0)) {
    throw new RangeError(`append to ${stream}: expected revision must be a non-negative integer, got ${expected}`);
  }
  const payloads = events.map(prepareEvent); // validate all before publishing any
  if (expected === 'any' || payloads.length === 1 || ctx.replicas > 1) {
    return appendInTurn(ctx, stream, subject, payloads, expected, 0, expected === 'any' ? undefined : expected === 'no_stream' ? 0 : expected, 0);
  }
  return appendPipelined(ctx, stream, subject, payloads, expected);
}

type Payload = ReturnType<typeof prepareEvent>;

/**
 * Group commit (decision 0016): every event of the append is published at once, without waiting
 * for the acks in between. The first expects the subject's last sequence (the concurrency check);
 * each later one expects the stream's last message to be the event before it
 * (`Nats-Expected-Last-Msg-Id`), so it is stored only right after that one: the chain holds as if
 * each expected the sequence of the one before. From the first event not stored as sent (a
 * conflict, a writer of another stream in between, a lost ack), the rest go one at a time as before.
 * One round trip for the batch instead of one per event.
 */
async function appendPipelined(ctx: JetStreamContext, stream: string, subject: string, payloads: readonly Payload[], expected: 'no_stream' | number): Promise<AppendResult> {
  const first = expected === 'no_stream' ? 0 : expected;
  const acks = payloads.map((payload, index) => {
    const { data, headers } = encodePayload(payload);
    const expect = index === 0 ? { lastSubjectSequence: first } : { lastMsgID: payloads[index - 1]!.id };
    return ctx.publisher.publish(subject, data, { msgID: payload.id, headers, expect });
  });
  const settled = await Promise.allSettled(acks);
  let last = 0;
  for (const [index, result] of settled.entries()) {
    if (result.status === 'fulfilled' && !result.value.duplicate) {
      last = result.value.seq;
      continue;
    }
    return appendInTurn(ctx, stream, subject, payloads, expected, index, index === 0 ? first : last, last);
  }
  return { nextExpectedRevision: last, position: last };
}

/** Publishes `payloads` from `from` on, each awaiting the ack of the one before and expecting its sequence. */
async function appendInTurn(
  ctx: JetStreamContext,
  stream: string,
  subject: string,
  payloads: readonly Payload[],
  expected: ExpectedRevision,
  from: number,
  chained: number | undefined,
  last: number,
): Promise<AppendResult> {
  for (let index = from; index < payloads.length; index++) {
    let seq: number;
    try {
      seq = await publishEvent(ctx, subject, payloads[index]!, chained);
    } catch (err) {
      const actual = wrongLastSequence(err);
      if (actual === undefined) throw err;
      if (index === 0) throw new WrongExpectedRevisionError(stream, expected, actual);
      throw new PartialAppendError(stream, index, last, { cause: err });
    }
    last = seq;
    if (chained !== undefined) chained = seq;
  }
  return { nextExpectedRevision: last, position: last };
}

/**
 * Publishes one event, retrying transient failures with the same id and expectation; returns its
 * sequence (the original one when a retry finds the event already stored). On a replicated stream
 * the expectation is checked through the whole stream's last sequence (see `publishGuarded`).
 */
async function publishEvent(
  ctx: JetStreamContext,
  subject: string,
  payload: ReturnType<typeof prepareEvent>,
  chained: number | undefined,
): Promise<number> {
  if (chained !== undefined && ctx.replicas > 1) return publishGuarded(ctx, subject, payload, chained);
  return publishWithRetry(ctx, subject, payload, chained, chained === undefined ? {} : { lastSubjectSequence: chained });
}

async function publishWithRetry(
  ctx: JetStreamContext,
  subject: string,
  payload: ReturnType<typeof prepareEvent>,
  chained: number | undefined,
  expect: { lastSubjectSequence?: number; lastSequence?: number },
): Promise<number> {
  const { data, headers } = encodePayload(payload);
  return retryTransient(ctx.nc, { retryForMs: ctx.unavailableRetryMs }, async (retry) => {
    let ack: PubAck;
    try {
      ack = await ctx.publisher.publish(subject, data, { msgID: payload.id, headers, expect });
    } catch (err) {
      if (retry === 0 || chained === undefined || wrongLastSequence(err) === undefined) throw err;
      const landed = await storedAfter(ctx, subject, chained, payload.id);
      if (landed === undefined) throw err;
      return landed;
    }
    if (ack.duplicate) await checkDuplicate(ctx, subject, payload.id, ack.seq);
    return ack.seq;
  });
}

/** Rounds of `publishGuarded` lost to writers of other streams before giving up (as a conflict). */
const MAX_STREAM_RACES = 200;

/** Per store: guarded appends run one at a time; `head` is the stream's last sequence last seen. */
interface Guard {
  queue: Promise<unknown>;
  head: number | undefined;
}
const guards = new WeakMap<JetStreamContext, Guard>();

/**
 * nats-server 2.9 does not serialise `Nats-Expected-Last-Subject-Sequence` on a replicated stream:
 * concurrent publishes expecting the same subject sequence may all be stored (nats-server issue
 * #4320). `Nats-Expected-Last-Sequence` (the whole stream's) is checked by the stream leader in
 * proposal order, so it holds. Hence: take a stream head H observed earlier (the last ack, or the
 * actual sequence a refused publish reports, or a fresh read), read the subject's last sequence L
 * (it must be our expectation), publish expecting the stream to still end at H. If the publish
 * is accepted, nothing was stored after H, so L was the subject's last when we published. If any
 * writer got in between, we learn the new head from the refusal and look again. Appends of one
 * process take turns, so that they do not race each other (see docs/decisions/0007).
 */
function publishGuarded(
  ctx: JetStreamContext,
  subject: string,
  payload: ReturnType<typeof prepareEvent>,
  chained: number,
): Promise<number> {
  let guard = guards.get(ctx);
  if (!guard) guards.set(ctx, (guard = { queue: Promise.resolve(), head: undefined }));
  const g = guard;
  const turn = g.queue.then(() => guardedRounds(ctx, g, subject, payload, chained));
  g.queue = turn.catch(() => undefined);
  return turn;
}

async function guardedRounds(
  ctx: JetStreamContext,
  guard: Guard,
  subject: string,
  payload: ReturnType<typeof prepareEvent>,
  chained: number,
): Promise<number> {
  for (let race = 0; ; race++) {
    const head = guard.head ?? (await headPosition(ctx));
    const last = await lastSequenceOf(ctx, subject);
    if (last > head) {
      guard.head = undefined; // written after the head we knew: read it again
      continue;
    }
    if (last !== chained) {
      guard.head = undefined;
      // Our own earlier attempt (or an earlier call with the same event) may be what moved it.
      const landed = await storedAfter(ctx, subject, chained, payload.id);
      if (landed !== undefined) return landed;
      throw new SubjectMovedError(last);
    }
    try {
      const seq = await publishWithRetry(ctx, subject, payload, chained, { lastSequence: head });
      guard.head = seq === head + 1 ? seq : undefined;
      return seq;
    } catch (err) {
      const actual = wrongLastSequence(err);
      guard.head = typeof actual === 'number' ? actual : undefined;
      if (actual === undefined || race >= MAX_STREAM_RACES) throw err;
    }
  }
}

/** The subject's last sequence did not match the expectation (guarded path). */
class SubjectMovedError extends Error {
  constructor(readonly actual: number) {
    super(`wrong last sequence: ${actual}`);
  }
}

/**
 * The sequence of event `eventId` if it is the first message of `subject` after `after` (where an
 * earlier attempt expecting `after` would have put it), else undefined.
 */
async function storedAfter(ctx: JetStreamContext, subject: string, after: number, eventId: string): Promise<number | undefined> {
  const query = { seq: after + 1, next_by_subj: subject } as unknown as MsgRequest;
  const next = await retryTransient(ctx.nc, { retryForMs: ctx.unavailableRetryMs }, () => ctx.jsm.streams.getMessage(ctx.streamName, query));
  if (!next) return undefined;
  const stored = JSON.parse(new TextDecoder().decode(next.data)) as { id?: unknown };
  return stored.id === eventId ? next.seq : undefined;
}

/** The actual revision from a "wrong last sequence" error, or undefined for any other error. */
function wrongLastSequence(err: unknown): number | 'no_stream' | 'unknown' | undefined {
  if (err instanceof SubjectMovedError) return err.actual === 0 ? 'no_stream' : err.actual;
  if (!(err instanceof JetStreamApiError)) return undefined;
  if (err.code === JetStreamApiCodes.StreamWrongLastSequenceUnknown) return 'unknown';
  if (err.code !== JetStreamApiCodes.StreamWrongLastSequence) return undefined;
  const match = /wrong last sequence: (\d+)/.exec(err.message);
  if (!match?.[1]) return 'unknown';
  const actual = Number(match[1]);
  return actual === 0 ? 'no_stream' : actual;
}

/** A duplicate ack is only a success if the original went to the same stream. */
async function checkDuplicate(ctx: JetStreamContext, subject: string, eventId: string, seq: number): Promise<void> {
  const stored = await retryTransient(ctx.nc, { retryForMs: ctx.unavailableRetryMs }, () => ctx.jsm.streams.getMessage(ctx.streamName, { seq }));
  if (stored && stored.subject !== subject) {
    throw new DuplicateEventIdError(eventId, streamOf(subject), stored.subject, seq);
  }
}
