/**
 * Reading: one aggregate stream, or everything in global order. Both read a snapshot ending at a
 * sequence fixed before reading (the subject's last message, or the head), so a read never waits
 * for events appended meanwhile. Long reads go through an ordered consumer (which detects gaps
 * and recreates itself) that is deleted afterwards.
 *
 * Single requests (stream info, message gets) are retried while a stream elects a leader.
 *
 * `fromTime`/`toTime` of readAll compare with the time the server stored each message, not with
 * the event's own `time` field (which the writer may set).
 */
import {
  AckPolicy,
  DeliverPolicy,
  type JsMsg,
  type MsgRequest,
  type OrderedConsumerOptions,
  type StoredMsg,
} from '@nats-io/jetstream';
import { nanos } from '@nats-io/nats-core';

import type { ReadAllOptions, ReadStreamResult, RecordedEvent } from '../port.js';
import { bulkRead } from './bulk-read.js';
import { decodeEvent } from './codec.js';
import { streamOf, subjectOf, type JetStreamContext } from './options.js';
import { retryTransient } from './transient.js';

/** Position of the last stored event, 0 when empty. */
export async function headPosition(ctx: JetStreamContext): Promise<number> {
  const info = await retryTransient(ctx.nc, { retryForMs: ctx.unavailableRetryMs }, () => ctx.jsm.streams.info(ctx.streamName));
  return info.state.last_seq;
}

/** Sequence of the last message of `subject`, 0 when it has none. */
export async function lastSequenceOf(ctx: JetStreamContext, subject: string): Promise<number> {
  return (await getMessage(ctx, { last_by_subj: subject }))?.seq ?? 0;
}

/** Single message gets before switching to a consumer: most aggregate streams are this short. */
const DIRECT_READS = 8;

/**
 * Reads one aggregate stream up to its last event at the time of the call. Short streams are read
 * with single-message gets from the stream leader (`last_by_subj`, then `next_by_subj`), which
 * costs a few round trips and no consumer; longer ones continue with an ordered consumer.
 */
export async function readStream(ctx: JetStreamContext, stream: string): Promise<ReadStreamResult> {
  const subject = subjectOf(ctx, stream);
  // A read is idempotent: start it over when the consumer of a long stream fails over.
  return retryTransient(ctx.nc, { retryForMs: ctx.unavailableRetryMs }, () => readSubject(ctx, stream, subject));
}

async function readSubject(ctx: JetStreamContext, stream: string, subject: string): Promise<ReadStreamResult> {
  // The last message of the subject fixes the snapshot: read up to it and no further.
  const last = await getMessage(ctx, { last_by_subj: subject });
  if (!last) return { events: [], revision: 'no_stream' };
  const events: RecordedEvent[] = [];
  let cursor = 0;
  for (let i = 0; i < DIRECT_READS && cursor < last.seq; i++) {
    const msg = await getMessage(ctx, { seq: cursor + 1, next_by_subj: subject });
    if (!msg || msg.seq > last.seq) break; // later events were deleted: we have everything
    events.push(decodeEvent(stream, msg.seq, msg.data));
    cursor = msg.seq;
  }
  if (cursor < last.seq && events.length === DIRECT_READS) {
    for await (const msg of orderedRead(ctx, { filter: subject, startSeq: cursor + 1, endSeq: last.seq, batch: 256 })) {
      events.push(decodeEvent(stream, msg.seq, msg.data));
    }
  }
  return { events, revision: events.at(-1)?.revision ?? 'no_stream' };
}

/**
 * `$JS.API.STREAM.MSG.GET` (answered by the stream leader, so never stale). nats-server 2.9
 * accepts `next_by_subj` there, but the client's type only lists `seq` and `last_by_subj`; it
 * passes the request through unchanged.
 */
function getMessage(
  ctx: JetStreamContext,
  query: { last_by_subj: string } | { seq: number; next_by_subj: string },
): Promise<StoredMsg | null> {
  return retryTransient(ctx.nc, { retryForMs: ctx.unavailableRetryMs }, () =>
    ctx.jsm.streams.getMessage(ctx.streamName, query as MsgRequest),
  );
}

export async function* readAll(ctx: JetStreamContext, options: ReadAllOptions = {}): AsyncGenerator<RecordedEvent> {
  for await (const batch of readAllBatches(ctx, options)) yield* batch;
}

export async function* readAllBatches(ctx: JetStreamContext, options: ReadAllOptions = {}): AsyncGenerator<RecordedEvent[]> {
  const { fromPosition, fromTime, toPosition, toTime } = options;
  const head = await headPosition(ctx);
  const endSeq = toPosition === undefined ? head : Math.min(toPosition, head);
  if (endSeq < 1) return;
  const startSeq = fromPosition ?? (fromTime === undefined ? 1 : await firstSequenceAtOrAfter(ctx, fromTime));
  if (startSeq === undefined || startSeq > endSeq) return;
  const toNanos = toTime === undefined ? undefined : toTime.getTime() * 1e6;
  // Large reads: a full replay is bound by the client's work per message (bulk-read.ts).
  for await (const batch of bulkRead(ctx, { startSeq: Math.max(1, startSeq), endSeq })) {
    const events: RecordedEvent[] = new Array<RecordedEvent>(batch.length);
    let count = 0;
    for (const msg of batch) {
      if (toNanos !== undefined && msg.timestampNanos > toNanos) break;
      events[count++] = decodeEvent(streamOf(msg.subject), msg.seq, msg.data);
    }
    events.length = count;
    if (count > 0) yield events;
    if (count < batch.length) return;
  }
}

/**
 * The sequence of the first message stored at or after `time`, or undefined when there is none.
 * The server resolves the time when a consumer is created; we read it from a throw-away consumer
 * and then read by sequence, because the client cannot recreate an ordered consumer that was
 * started by time (it sends both start time and start sequence, which the server refuses).
 */
async function firstSequenceAtOrAfter(ctx: JetStreamContext, time: Date): Promise<number | undefined> {
  const probe = await retryTransient(ctx.nc, { retryForMs: ctx.unavailableRetryMs }, () =>
    ctx.jsm.consumers.add(ctx.streamName, {
      deliver_policy: DeliverPolicy.StartTime,
      opt_start_time: time.toISOString(),
      ack_policy: AckPolicy.None,
      mem_storage: true,
      inactive_threshold: nanos(30_000),
    }),
  );
  ctx.jsm.consumers.delete(ctx.streamName, probe.name).catch(() => undefined);
  return probe.num_pending === 0 ? undefined : probe.delivered.stream_seq + 1;
}

interface OrderedReadOptions {
  readonly filter?: string;
  readonly startSeq: number;
  /** Stop after this sequence (or earlier, when nothing more is stored). */
  readonly endSeq: number;
  readonly batch: number;
}

/** Messages in stream order from the start up to `endSeq`, through a temporary ordered consumer. */
async function* orderedRead(ctx: JetStreamContext, opts: OrderedReadOptions): AsyncGenerator<JsMsg> {
  const config: Partial<OrderedConsumerOptions> = { inactive_threshold: 30_000, opt_start_seq: opts.startSeq };
  if (opts.filter !== undefined) config.filter_subjects = opts.filter;
  const { consumer, info } = await retryTransient(ctx.nc, { retryForMs: ctx.unavailableRetryMs }, async () => {
    const created = await ctx.js.consumers.get(ctx.streamName, config);
    return { consumer: created, info: await created.info(true) };
  });
  try {
    if (info.num_pending === 0) return;
    const messages = await consumer.consume({ max_messages: Math.min(opts.batch, info.num_pending), expires: 5_000 });
    try {
      for await (const msg of messages) {
        if (msg.seq > opts.endSeq) return;
        yield msg;
        // pending 0: nothing more is stored (the last sequences may have been deleted).
        if (msg.seq >= opts.endSeq || msg.info.pending === 0) return;
      }
    } finally {
      messages.stop();
    }
  } finally {
    consumer.delete().catch(() => undefined);
  }
}
