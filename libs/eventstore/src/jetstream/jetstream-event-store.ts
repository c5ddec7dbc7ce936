/**
 * EventStore over NATS JetStream (works with nats-server 2.9).
 *
 * Layout: one JetStream stream (default `SWARM_EVENTS`) with subjects `<prefix>.>`; aggregate
 * stream `X` is the subject `<prefix>.X`, or `<prefix>.<category>.X` for the categories the stream
 * was created with a subject branch for (recorded in its description; options.ts); one message per
 * event.
 *
 * Revisions: the revision of an event is its JetStream stream sequence, which is also its global
 * position. Revisions of one aggregate stream therefore increase but skip numbers; treat them as
 * opaque and pass back what `readStream`/`append` returned.
 *
 * See append.ts (concurrency, deduplication, non-atomic multi-event appends), reader.ts and
 * subscription.ts.
 */
import { jetstream, jetstreamManager } from '@nats-io/jetstream';
import type { NatsConnection } from '@nats-io/nats-core';
import { connect } from '@nats-io/transport-node';

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
import { appendEvents } from './append.js';
import { AckedPublisher } from './acked-publish.js';
import {
  branchesOf,
  PUBLISH_TIMEOUT_MS,
  resolveOptions,
  subjectOf,
  type JetStreamConnectOptions,
  type JetStreamContext,
  type JetStreamEventStoreOptions,
} from './options.js';
import { FreshRead } from '../fresh-read.js';
import { headPosition, lastSequenceOf, readAll, readAllBatches, readStream } from './reader.js';
import { ensureStream } from './stream-setup.js';
import { retryTransient } from './transient.js';
import { JetStreamSubscription, type JetStreamSubscribeOptions } from './subscription.js';

export class JetStreamEventStore implements EventStore {
  private readonly subscriptions = new Set<JetStreamSubscription>();
  private closed = false;
  /** One STREAM.INFO for all the head reads that arrive while one is in flight (each still fresh). */
  private readonly head = new FreshRead(() => headPosition(this.ctx));
  /** The same for the last event of a stream, per stream, while reads of it are in flight. */
  private readonly lastOfStream = new Map<string, FreshRead<number>>();

  private constructor(
    private readonly ctx: JetStreamContext,
    private readonly ownsConnection: boolean,
  ) {}

  /**
   * Opens its own connection (reconnecting forever; drained by `close()`) and creates or updates
   * the stream.
   */
  static async connect(opts: JetStreamConnectOptions): Promise<JetStreamEventStore> {
    const resolved = resolveOptions(opts);
    // A service outlives server restarts: reconnect forever instead of giving up after 10 tries.
    const nc = await connect({
      servers: opts.servers,
      maxReconnectAttempts: -1,
      // With a cluster in `servers`, a lost node costs a quick reconnect to another one.
      reconnectTimeWait: 250,
      // The client otherwise builds two Error objects per request for async stack traces: a third
      // of the CPU of an append (profiled); our errors carry their own context.
      noAsyncTraces: true,
      ...(opts.name === undefined ? {} : { name: opts.name }),
    });
    try {
      return await JetStreamEventStore.create(nc, resolved, true);
    } catch (err) {
      await nc.close();
      throw err;
    }
  }

  /** Uses a connection the caller owns: `close()` leaves it open. */
  static async fromConnection(nc: NatsConnection, opts: JetStreamEventStoreOptions = {}): Promise<JetStreamEventStore> {
    return JetStreamEventStore.create(nc, resolveOptions(opts), false);
  }

  private static async create(
    nc: NatsConnection,
    opts: ReturnType<typeof resolveOptions>,
    ownsConnection: boolean,
  ): Promise<JetStreamEventStore> {
    // A cluster that is still electing leaders (or busy creating the replicated stream for another
    // process) answers late: retry like any other transient failure.
    const { jsm, info } = await retryTransient(nc, { retryForMs: opts.unavailableRetryMs }, async () => {
      const manager = await jetstreamManager(nc);
      return { jsm: manager, info: await ensureStream(manager, opts) };
    });
    const { branchCategories: _wanted, ...rest } = opts;
    // The stream's own record decides the layout: every process must agree on where a stream's subject is.
    const branches = new Set(branchesOf(info.config.description));
    const ctx: JetStreamContext = { ...rest, branches, replicas: info.config.num_replicas, nc, jsm, js: jetstream(nc), publisher: new AckedPublisher(nc, PUBLISH_TIMEOUT_MS) };
    return new JetStreamEventStore(ctx, ownsConnection);
  }

  /** The JetStream stream holding the events. */
  get streamName(): string {
    return this.ctx.streamName;
  }

  get subjectPrefix(): string {
    return this.ctx.subjectPrefix;
  }

  /** The categories whose streams have a subject branch of their own in this stream's layout. */
  get branchCategories(): readonly string[] {
    return [...this.ctx.branches];
  }

  /** The subject of an aggregate stream (validates the name). */
  subjectOf(stream: string): string {
    return subjectOf(this.ctx, stream);
  }

  async append(stream: string, events: readonly NewEvent[], expected: ExpectedRevision): Promise<AppendResult> {
    this.assertOpen();
    return appendEvents(this.ctx, stream, events, expected);
  }

  async readStream(stream: string): Promise<ReadStreamResult> {
    this.assertOpen();
    return readStream(this.ctx, stream);
  }

  /** The reader's own generator, not wrapped in another one: one await per event less on a replay. */
  readAll(options: ReadAllOptions = {}): AsyncGenerator<RecordedEvent> {
    this.assertOpen();
    return readAll(this.ctx, options);
  }

  readAllBatches(options: ReadAllOptions = {}): AsyncGenerator<RecordedEvent[]> {
    this.assertOpen();
    return readAllBatches(this.ctx, options);
  }

  subscribeAll(
    options: JetStreamSubscribeOptions,
    handler: (event: RecordedEvent) => Promise<void> | void,
  ): Subscription {
    this.assertOpen();
    const subscription = new JetStreamSubscription(this.ctx, options, handler, (s) => this.subscriptions.delete(s));
    this.subscriptions.add(subscription);
    return subscription;
  }

  async headPosition(): Promise<number> {
    this.assertOpen();
    return this.head.get();
  }

  /** One `last_by_subj` get (the stream leader's answer), shared by concurrent callers as the head is. */
  async lastPositionOf(stream: string): Promise<number> {
    this.assertOpen();
    let read = this.lastOfStream.get(stream);
    if (!read) {
      const subject = subjectOf(this.ctx, stream); // validates the name
      read = new FreshRead(() => lastSequenceOf(this.ctx, subject));
      this.lastOfStream.set(stream, read);
    }
    const shared = read;
    const position = shared.get();
    // Kept only while in use (a FreshRead holds no state between reads), and only this one.
    const forget = (): void => {
      if (!shared.busy && this.lastOfStream.get(stream) === shared) this.lastOfStream.delete(stream);
    };
    position.then(forget, forget);
    return position;
  }

  /** Stops every subscription; drains the connection only if `connect()` opened it. */
  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    await Promise.all([...this.subscriptions].map((s) => s.stop()));
    this.ctx.publisher.close();
    if (this.ownsConnection && !this.ctx.nc.isClosed()) await this.ctx.nc.drain();
  }

  private assertOpen(): void {
    if (this.closed) throw new Error('the event store is closed');
  }
}
