/**
 * EventStore over KurrentDB / EventStoreDB (gRPC API, server 22.6 or later).
 *
 * Layout: one KurrentDB stream per aggregate stream, same name; one KurrentDB event per event
 * (codec.ts). Revisions are KurrentDB's stream revisions (0, 1, 2...), positions are `$all`
 * commit positions (mapping.ts). Reads and subscriptions on `$all` see only our streams: the
 * server filters out its system streams.
 *
 * The client is loaded when `connect()` is first called, so processes that use JetStream never
 * load it (nor its native module).
 *
 * See append.ts (atomic appends, idempotency), reader.ts (starting positions and times, their
 * cost) and subscription.ts.
 */
import type { KurrentDBClient } from '@kurrent/kurrentdb-client';

import type {
  AppendResult,
  EventStore,
  ExpectedRevision,
  NewEvent,
  ReadAllOptions,
  ReadStreamResult,
  RecordedEvent,
  Subscription,
} from '../port.js';
import { inBatches } from '../batches.js';
import { appendEvents } from './append.js';
import { kurrentDbConnectionString, redactUrl, type KurrentDbConnectOptions, type KurrentDbContext } from './options.js';
import { headPosition, lastPositionOf, readAll, readStream } from './reader.js';
import { KurrentDbSubscription, type KurrentDbSubscribeOptions } from './subscription.js';

export class KurrentDbEventStore implements EventStore {
  private readonly subscriptions = new Set<KurrentDbSubscription>();
  private closed = false;

  private constructor(
    private readonly ctx: KurrentDbContext,
    private readonly ownsClient: boolean,
  ) {}

  /** Opens its own client (disposed by `close()`) and checks that the server answers a read of `$all`. */
  static async connect(opts: KurrentDbConnectOptions): Promise<KurrentDbEventStore> {
    const connectionString = kurrentDbConnectionString(opts.connectionString);
    const { KurrentDBClient } = await import('@kurrent/kurrentdb-client');
    const client = KurrentDBClient.connectionString(connectionString);
    const store = new KurrentDbEventStore({ client }, true);
    try {
      // One unfiltered event: a filtered read could scan a large log of other streams.
      for await (const _ of client.readAll({ direction: 'backwards', fromPosition: 'end', maxCount: 1 })) break;
    } catch (err) {
      await client.dispose().catch(() => undefined);
      throw new Error(`KurrentDB at ${redactUrl(connectionString)} did not answer a read`, { cause: err });
    }
    return store;
  }

  /** Uses a client the caller owns: `close()` leaves it open. */
  static fromClient(client: KurrentDBClient): KurrentDbEventStore {
    return new KurrentDbEventStore({ client }, false);
  }

  async append(stream: string, events: readonly NewEvent[], expected: ExpectedRevision): Promise<AppendResult> {
    this.assertOpen();
    return appendEvents(this.ctx, stream, events, expected);
  }

  async readStream(stream: string): Promise<ReadStreamResult> {
    this.assertOpen();
    return readStream(this.ctx, stream);
  }

  async *readAll(options: ReadAllOptions = {}): AsyncGenerator<RecordedEvent> {
    this.assertOpen();
    yield* readAll(this.ctx, options);
  }

  /** The client delivers one event at a time; batches of what it has read. */
  async *readAllBatches(options: ReadAllOptions = {}): AsyncGenerator<RecordedEvent[]> {
    this.assertOpen();
    yield* inBatches(readAll(this.ctx, options), 512);
  }

  subscribeAll(
    options: KurrentDbSubscribeOptions,
    handler: (event: RecordedEvent) => Promise<void> | void,
  ): Subscription {
    this.assertOpen();
    const subscription = new KurrentDbSubscription(this.ctx, options, handler, (s) => this.subscriptions.delete(s));
    this.subscriptions.add(subscription);
    return subscription;
  }

  async headPosition(): Promise<number> {
    this.assertOpen();
    return headPosition(this.ctx);
  }

  async lastPositionOf(stream: string): Promise<number> {
    this.assertOpen();
    return lastPositionOf(this.ctx, stream);
  }

  /** Stops every subscription; disposes the client only if `connect()` opened it. */
  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    await Promise.all([...this.subscriptions].map((s) => s.stop()));
    if (this.ownsClient) await this.ctx.client.dispose();
  }

  private assertOpen(): void {
    if (this.closed) throw new Error('the event store is closed');
  }
}
