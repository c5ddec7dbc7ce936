/**
 * `subscribeAll`: one ordered pull consumer over the whole JetStream stream, starting at
 * `afterPosition + 1`. Catch-up and live delivery are the same consumer, so there is no seam to
 * fall through: every event comes once, in stream order. If the server loses or deletes the
 * consumer, or a sequence gap is seen, the client recreates it from the last delivered sequence.
 *
 * Caught up: the head sequence is read before the consumer is created; `onCaughtUp` fires once,
 * after the handler returned for the event at (or past) that head, or at once when nothing after
 * `afterPosition` was stored (an empty store counts as caught up), or when the server reports no
 * pending message (the tail may have been deleted).
 *
 * Categories: the consumer filters on the server when one subject covers them (`subjectFilterFor`),
 * and what else it delivers is skipped here. Caught up is then "no matching event pending": the
 * position reported is at least the head read before, even if the last matching event is older.
 *
 * Losing a NATS node: when creating the consumer fails transiently or its messages stop, a new
 * consumer starts after the last event the handler returned from (backing off, for as long as the
 * connection is open). Only a handler error, an undecodable event or a closed connection end it.
 */
import type { Consumer, ConsumerMessages } from '@nats-io/jetstream';

import type { RecordedEvent, SubscribeAllOptions, Subscription } from '../port.js';
import { decodeEvent } from './codec.js';
import { categoryOf } from '../stream-name.js';
import { streamOf, subjectFilterFor, type JetStreamContext } from './options.js';
import { headPosition } from './reader.js';
import { backoffMs, isTransient } from './transient.js';

export interface JetStreamSubscribeOptions extends SubscribeAllOptions {
  /**
   * Called when delivery stops because of an error (the handler threw, a stored event could not
   * be decoded, the stream vanished, the connection was closed). Without it the error is written
   * to stderr. Delivery never skips an event: after an error the subscription is stopped.
   */
  readonly onError?: (error: unknown) => void;
}

export class JetStreamSubscription implements Subscription {
  private stopped = false;
  private delivering = false;
  private messages: ConsumerMessages | undefined;
  private readonly done: Promise<void>;
  private readonly categories: ReadonlySet<string> | undefined;
  private readonly filter: string | undefined;

  constructor(
    private readonly ctx: JetStreamContext,
    private readonly options: JetStreamSubscribeOptions,
    private readonly handler: (event: RecordedEvent) => Promise<void> | void,
    private readonly onStopped: (subscription: JetStreamSubscription) => void,
  ) {
    const after = options.afterPosition;
    if (!Number.isInteger(after) || after < 0) {
      throw new RangeError(`afterPosition must be a non-negative integer, got ${after}`);
    }
    if (options.categories) {
      this.categories = new Set(options.categories);
      this.filter = subjectFilterFor(ctx, options.categories);
    }
    this.done = this.run().then(
      () => this.onStopped(this),
      (err: unknown) => {
        this.stopped = true;
        this.onStopped(this);
        this.report(err);
      },
    );
  }

  /**
   * Stops delivery. Resolves once the handler will not be called again; when called while the
   * handler runs (for instance from inside it), resolves without waiting for that call to end.
   */
  async stop(): Promise<void> {
    if (!this.stopped) {
      this.stopped = true;
      this.messages?.stop();
    }
    if (!this.delivering) await this.done;
  }

  private async run(): Promise<void> {
    const after = this.options.afterPosition;
    const head = await headPosition(this.ctx);
    let caughtUp = false;
    const markCaughtUp = (position: number): void => {
      if (caughtUp || this.stopped) return;
      caughtUp = true;
      this.options.onCaughtUp?.(position);
    };
    if (head <= after) markCaughtUp(after);
    let lastDelivered = after;
    for (let retry = 0; !this.stopped; retry++) {
      const before = lastDelivered;
      try {
        await this.consumeFrom(lastDelivered, head, markCaughtUp, (seq) => (lastDelivered = seq));
        return;
      } catch (err) {
        if (this.stopped) return;
        if (err instanceof HandlerFailure) throw err.cause;
        if (!(err instanceof DeliveryEnded || isTransient(err, this.ctx.nc)) || this.ctx.nc.isClosed()) throw err;
      }
      // A lost NATS node or a new stream leader: start a new consumer after the last delivered event.
      if (lastDelivered > before) retry = 0;
      await new Promise((resolve) => setTimeout(resolve, backoffMs(retry)));
    }
  }

  private async consumeFrom(
    after: number,
    head: number,
    markCaughtUp: (position: number) => void,
    delivered: (seq: number) => void,
  ): Promise<void> {
    const consumer = await this.ctx.js.consumers.get(
      this.ctx.streamName,
      this.filter === undefined ? { opt_start_seq: after + 1 } : { opt_start_seq: after + 1, filter_subjects: this.filter },
    );
    try {
      if (this.stopped) return;
      if ((await consumer.info(true)).num_pending === 0) markCaughtUp(Math.max(after, head));
      await this.deliver(consumer, head, markCaughtUp, delivered);
    } finally {
      consumer.delete().catch(() => undefined);
    }
  }

  private async deliver(
    consumer: Consumer,
    head: number,
    markCaughtUp: (position: number) => void,
    delivered: (seq: number) => void,
  ): Promise<void> {
    if (this.stopped) return;
    // Short expiry and heartbeat: a deleted consumer is noticed (and recreated) within seconds.
    const messages = await consumer.consume({ max_messages: 256, expires: 5_000, idle_heartbeat: 1_000 });
    this.messages = messages;
    try {
      if (this.stopped) return;
      for await (const msg of messages) {
        if (this.stopped) return;
        const seq = msg.seq;
        const stream = streamOf(msg.subject);
        if (!this.categories || this.categories.has(categoryOf(stream))) {
          this.delivering = true;
          try {
            // A synchronous handler (every projection) costs no extra turn of the microtask queue.
            const handled = this.handler(decodeEvent(stream, seq, msg.data));
            if (handled) await handled;
          } catch (err) {
            throw new HandlerFailure(err);
          } finally {
            this.delivering = false;
          }
        }
        delivered(seq);
        // Nothing (matching) pending: everything up to the head read before has been delivered.
        if (seq >= head || msg.info.pending === 0) markCaughtUp(Math.max(seq, head));
      }
    } finally {
      messages.stop();
    }
    if (!this.stopped) throw new DeliveryEnded();
  }

  private report(err: unknown): void {
    if (this.options.onError) this.options.onError(err);
    else console.error(`event store subscription on ${this.ctx.streamName} stopped:`, err);
  }
}

/** The handler threw, or a stored event could not be decoded: delivery stops for good. */
class HandlerFailure extends Error {
  constructor(cause: unknown) {
    super('event handler failed', { cause });
  }
}

/** The consumer's message iterator ended without stop(): retried with a new consumer. */
class DeliveryEnded extends Error {
  constructor() {
    super('event delivery ended unexpectedly (connection closed?)');
  }
}
