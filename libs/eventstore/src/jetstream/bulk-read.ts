/**
 * Reading the whole log (a rebuild, a replay from position 1) as fast as the server sends it.
 *
 * The JetStream client's ordered consumer costs, per message, a JsMsg, a queued-iterator hop, its
 * own sequence bookkeeping and an idle-heartbeat check; at hundreds of thousands of events that
 * client work was half the time of a rebuild. Here a plain core-NATS subscription receives the
 * batches of a short-lived pull consumer (no acks, in memory) and keeps two pulls outstanding.
 * What the ordered consumer guaranteed is checked here: the consumer's delivery sequence must
 * advance by one; on a gap, a lost consumer (its server failed over) or no message for
 * `stallMs`, the read starts over after the last sequence it returned, with a new consumer.
 */
import { AckPolicy, DeliverPolicy } from '@nats-io/jetstream';
import { createInbox, nanos, type Msg, type Subscription } from '@nats-io/nats-core';

import type { JetStreamContext } from './options.js';
import { retryTransient } from './transient.js';

export interface BulkMessage {
  readonly seq: number;
  readonly subject: string;
  readonly data: Uint8Array;
  readonly timestampNanos: number;
}

export interface BulkReadOptions {
  readonly startSeq: number;
  /** Stop after this sequence. */
  readonly endSeq: number;
  /** Messages per pull request. Default 8192. */
  readonly batch?: number;
  /** No message for this long (at most twice this): the consumer is presumed lost and recreated. Default 10 s. */
  readonly stallMs?: number;
}

/** Restarts of one read before it gives up (each after a gap, a stall or a lost consumer). */
const MAX_RESTARTS = 20;

/**
 * The messages of `[startSeq, endSeq]` in order, a batch (whatever arrived) at a time: one await
 * per batch instead of one per message, which a million-event read notices.
 */
export async function* bulkRead(ctx: JetStreamContext, opts: BulkReadOptions): AsyncGenerator<readonly BulkMessage[]> {
  let next = opts.startSeq;
  for (let restart = 0; next <= opts.endSeq; restart++) {
    if (restart > MAX_RESTARTS) throw new Error(`reading the log from ${next}: gave up after ${MAX_RESTARTS} restarts`);
    const run = new PullRun(ctx, next, opts.endSeq, opts.batch ?? 8192, opts.stallMs ?? 10_000);
    try {
      await run.start();
      for (;;) {
        const batch = await run.take();
        if (batch === undefined) break;
        next = batch[batch.length - 1]!.seq + 1;
        yield batch;
      }
      if (run.finished) return;
    } finally {
      await run.stop();
    }
  }
}

/** One consumer's worth of a bulk read; `take()` ends (undefined) when done or broken. */
class PullRun {
  private consumer: string | undefined;
  private subscription: Subscription | undefined;
  private readonly inbox = createInbox();
  private buffer: BulkMessage[] = [];
  private wake: (() => void) | undefined;
  private outstanding = 0;
  private lastDelivery = 0;
  /** Stream sequence, delivery sequence, timestamp, pending of the last message (reused: no allocation per message). */
  private readonly ackFields = new Float64Array(4);
  /** Checks that deliveries still move (a timer per message would cost more than the message). */
  private stallTimer: NodeJS.Timeout | undefined;
  private deliveriesAtLastCheck = -1;
  /** Reached `endSeq` or the end of the stream. */
  finished = false;
  /** A gap, a stall or an error: start over from the last message taken. */
  private broken = false;
  private error: Error | undefined;

  constructor(
    private readonly ctx: JetStreamContext,
    private readonly startSeq: number,
    private readonly endSeq: number,
    private readonly batch: number,
    private readonly stallMs: number,
  ) {}

  async start(): Promise<void> {
    // Right after a NATS node failed, creating a consumer can time out while leaders are elected.
    const info = await retryTransient(this.ctx.nc, { retryForMs: this.ctx.unavailableRetryMs }, () =>
      this.ctx.jsm.consumers.add(this.ctx.streamName, {
        ack_policy: AckPolicy.None,
        deliver_policy: DeliverPolicy.StartSequence,
        opt_start_seq: this.startSeq,
        mem_storage: true,
        num_replicas: 1,
        inactive_threshold: nanos(30_000),
      }),
    );
    this.consumer = info.name;
    if (info.num_pending === 0) {
      this.finished = true;
      return;
    }
    this.subscription = this.ctx.nc.subscribe(this.inbox, { callback: (err, msg) => this.receive(err, msg) });
    this.pull();
    this.pull();
    this.stallTimer = setInterval(() => {
      if (this.lastDelivery === this.deliveriesAtLastCheck) this.breakRun();
      this.deliveriesAtLastCheck = this.lastDelivery;
    }, this.stallMs);
  }

  /** The next batch of messages, or undefined when the run is over (see `finished`). */
  async take(): Promise<BulkMessage[] | undefined> {
    while (this.buffer.length === 0 && !this.finished && !this.broken) {
      await new Promise<void>((resolve) => (this.wake = resolve));
      this.wake = undefined;
    }
    if (this.error) throw this.error;
    if (this.buffer.length === 0) return undefined;
    const taken = this.buffer;
    this.buffer = [];
    return taken;
  }

  async stop(): Promise<void> {
    clearInterval(this.stallTimer);
    this.subscription?.unsubscribe();
    if (this.consumer) await this.ctx.jsm.consumers.delete(this.ctx.streamName, this.consumer).catch(() => undefined);
  }

  private pull(): void {
    if (!this.consumer) return;
    this.outstanding += this.batch;
    const request = JSON.stringify({ batch: this.batch, expires: nanos(5_000) });
    this.ctx.nc.publish(`$JS.API.CONSUMER.MSG.NEXT.${this.ctx.streamName}.${this.consumer}`, request, { reply: this.inbox });
  }

  private receive(err: Error | null, msg: Msg): void {
    if (this.finished || this.broken) return;
    if (err) return this.fail(err);
    const data = msg.data;
    if (data.length === 0 && msg.headers) {
      // 408: a pull expired (re-pull); 404/409: nothing more, or the consumer is gone (start over).
      if (msg.headers.code === 408) {
        this.outstanding = Math.max(0, this.outstanding - this.batch);
        this.pull();
      } else this.breakRun();
      return;
    }
    if (!parseAckReply(msg.reply ?? '', this.ackFields)) return this.breakRun();
    const seq = this.ackFields[0]!;
    const delivery = this.ackFields[1]!;
    const timestampNanos = this.ackFields[2]!;
    const pending = this.ackFields[3]!;
    if (delivery !== this.lastDelivery + 1) return this.breakRun();
    this.lastDelivery = delivery;
    if (seq <= this.endSeq) this.buffer.push({ seq, subject: msg.subject, data, timestampNanos });
    this.outstanding--;
    if (seq >= this.endSeq || pending === 0) {
      this.finished = true;
    } else if (this.outstanding <= this.batch) {
      this.pull();
    }
    this.wake?.();
  }

  private breakRun(): void {
    this.broken = true;
    clearInterval(this.stallTimer);
    this.wake?.();
  }

  private fail(error: Error): void {
    this.error = error;
    this.breakRun();
  }
}

const ACK_PREFIX = '$JS.ACK.';
/** Positions of the dots after the prefix of the reply being parsed (one thread: reused). */
const dotAt = new Int32Array(10);

/**
 * Reads the stream sequence, delivery sequence, timestamp and pending count of a JetStream ack
 * subject (the message's public `reply`) into `into` without splitting it into strings (a million
 * splits were a tenth of a rebuild):
 * `$JS.ACK.<stream>.<consumer>.<delivered>.<sseq>.<dseq>.<ts>.<pending>` (nats-server 2.9), or
 * `$JS.ACK.<domain>.<account>.<stream>.<consumer>.<delivered>.<sseq>.<dseq>.<ts>.<pending>[.<token>]`.
 * Returns undefined when the subject is neither.
 */
export function parseAckReply(reply: string, into: Float64Array): true | undefined {
  if (!reply.startsWith(ACK_PREFIX)) return undefined;
  // One pass: where the dots are (at most 9 after the prefix in either form).
  let dots = 0;
  for (let i = ACK_PREFIX.length; i < reply.length; i++) {
    if (reply.charCodeAt(i) !== 46) continue;
    if (dots === 10) return undefined;
    dotAt[dots++] = i;
  }
  // After "$JS.ACK.": 6 more dots, the sequence follows the 3rd; 8 or 9 more, it follows the 5th.
  const first = dots === 6 ? 2 : dots === 8 || dots === 9 ? 4 : -1;
  if (first < 0) return undefined;
  for (let field = 0; field < 4; field++) {
    const start = dotAt[first + field]! + 1;
    const end = first + field + 1 < dots ? dotAt[first + field + 1]! : reply.length;
    if (end === start) return undefined;
    let value = 0;
    for (let i = start; i < end; i++) {
      const c = reply.charCodeAt(i);
      if (c < 48 || c > 57) return undefined;
      value = value * 10 + (c - 48);
    }
    // Past 15 digits (the timestamp in nanoseconds) the running sum rounds differently than Number.
    into[field] = end - start > 15 ? Number(reply.slice(start, end)) : value;
  }
  return true;
}
