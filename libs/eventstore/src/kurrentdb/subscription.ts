/**
 * `subscribeAll`: one KurrentDB catch-up subscription to `$all`, filtered on the server to our
 * streams, starting after `afterPosition` (resolved to an event position, see reader.ts). The
 * server switches from stored to live events itself, without a gap or a duplicate.
 *
 * Caught up: our head position is read before subscribing; `onCaughtUp` fires once, after the
 * handler returned for the event at (or past) that head, or at once when nothing after
 * `afterPosition` is stored. (The server's own "caught up" message is not used: the client
 * emits it before the events it buffered are handed over, and servers before 23.10 lack it.)
 * If the head event is deleted meanwhile, `onCaughtUp` waits for the next appended event.
 *
 * Connection loss (unavailable, deadline, not-leader, or the server ending the call), also while
 * the start is located: the subscription is opened again after the last delivered position, with
 * a backoff of 0.1 s doubling to 5 s, until `stop()`.
 */
import type { AllStreamResolvedEvent, AllStreamSubscription, ReadPosition } from '@kurrent/kurrentdb-client';

import type { RecordedEvent, SubscribeAllOptions, Subscription } from '../port.js';
import { categoryOf } from '../stream-name.js';
import { decodeEvent } from './codec.js';
import { isTransientError, toReadPosition } from './mapping.js';
import { OWN_STREAMS_FILTER, type KurrentDbContext } from './options.js';
import { headPosition, subscriptionStart } from './reader.js';

export interface KurrentDbSubscribeOptions extends SubscribeAllOptions {
  /**
   * Called when delivery stops because of an error (the handler threw, a stored event could not
   * be decoded, the server refused the subscription). Without it the error is written to stderr.
   * Delivery never skips an event: after an error the subscription is stopped.
   */
  readonly onError?: (error: unknown) => void;
}

const BACKOFF_MS = { first: 100, max: 5_000 };

/** The server ended the subscription without an error: treated like a lost connection. */
class DeliveryEndedError extends Error {
  constructor() {
    super('event delivery ended unexpectedly (connection closed?)');
    this.name = 'DeliveryEndedError';
  }
}

export class KurrentDbSubscription implements Subscription {
  private stopped = false;
  private delivering = false;
  private current: AllStreamSubscription | undefined;
  private lastDelivered: number;
  private caughtUp = false;
  /** What the handler threw, never retried. */
  private handlerError: unknown;
  private readonly done: Promise<void>;
  private readonly categories: ReadonlySet<string> | undefined;

  constructor(
    private readonly ctx: KurrentDbContext,
    private readonly options: KurrentDbSubscribeOptions,
    private readonly handler: (event: RecordedEvent) => Promise<void> | void,
    private readonly onStopped: (subscription: KurrentDbSubscription) => void,
  ) {
    const after = options.afterPosition;
    if (!Number.isInteger(after) || after < 0) {
      throw new RangeError(`afterPosition must be a non-negative integer, got ${after}`);
    }
    this.lastDelivered = after;
    this.categories = options.categories && new Set(options.categories);
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
      // destroy() ends the iteration at once; the call is cancelled in the background (a call
      // still connecting would otherwise hold stop() up).
      this.current?.destroy();
      this.current?.unsubscribe().catch(() => undefined);
    }
    if (!this.delivering) await this.done;
  }

  private async run(): Promise<void> {
    const after = this.options.afterPosition;
    let start: { head: number; from: ReadPosition } | undefined;
    let backoff = BACKOFF_MS.first;
    while (!this.stopped) {
      const delivered = this.lastDelivered;
      try {
        start ??= await this.locateStart();
        await this.deliver(start.from, start.head);
        return;
      } catch (err) {
        if (this.stopped) return;
        if (err === this.handlerError || !(isTransientError(err) || err instanceof DeliveryEndedError)) throw err;
        if (this.lastDelivered > delivered) backoff = BACKOFF_MS.first;
        await new Promise((resolve) => setTimeout(resolve, backoff));
        backoff = Math.min(backoff * 2, BACKOFF_MS.max);
        // An event we delivered is an exact position: subscribe after it.
        if (start && this.lastDelivered > after) start = { head: start.head, from: toReadPosition(this.lastDelivered) };
      }
    }
  }

  /** Our head before subscribing (for onCaughtUp) and where to subscribe from. */
  private async locateStart(): Promise<{ head: number; from: ReadPosition }> {
    const after = this.options.afterPosition;
    const head = await headPosition(this.ctx);
    if (head <= after) this.markCaughtUp(after);
    return { head, from: await subscriptionStart(this.ctx, after) };
  }

  /** Delivers until stopped; throws the subscription's error (transport) or the handler's. */
  private async deliver(from: ReadPosition, head: number): Promise<void> {
    if (this.stopped) return;
    const subscription = this.ctx.client.subscribeToAll({ fromPosition: from, filter: OWN_STREAMS_FILTER });
    this.current = subscription;
    const events: AsyncIterator<AllStreamResolvedEvent> = subscription[Symbol.asyncIterator]();
    try {
      while (!this.stopped) {
        const next = await events.next();
        if (next.done || this.stopped) break;
        if (!next.value.event) continue;
        const event = decodeEvent(next.value.event);
        if (event.position <= this.lastDelivered) continue; // at or before the resume point
        if (this.categories && !this.categories.has(categoryOf(event.stream))) {
          // Not for this subscriber (filtered here: KurrentDB's filter is already our own streams').
          this.lastDelivered = event.position;
          if (event.position >= head) this.markCaughtUp(event.position);
          continue;
        }
        this.delivering = true;
        try {
          await this.handler(event);
        } catch (err) {
          this.handlerError = err;
          throw err;
        } finally {
          this.delivering = false;
        }
        this.lastDelivered = event.position;
        if (event.position >= head) this.markCaughtUp(event.position);
      }
    } finally {
      subscription.destroy();
      subscription.unsubscribe().catch(() => undefined);
    }
    if (!this.stopped) throw new DeliveryEndedError();
  }

  private markCaughtUp(position: number): void {
    if (this.caughtUp || this.stopped) return;
    this.caughtUp = true;
    this.options.onCaughtUp?.(position);
  }

  private report(err: unknown): void {
    if (this.options.onError) this.options.onError(err);
    else console.error('event store subscription on KurrentDB $all stopped:', err);
  }
}
