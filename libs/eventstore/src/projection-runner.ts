/**
 * Feeding projections from the store: a ProjectionRunner is one projection with its own
 * subscription; a ProjectionGroup fans one subscription out to many projections, so a process
 * builds all its read models from one consumer.
 */
import type { DomainEvent, EventStore, RecordedEvent, SubscribeAllOptions, Subscription } from './port.js';
import { Projection, ProjectionStoppedError, type ProjectionDefinition } from './projection.js';
import type { LiveProjection } from './projection-command.js';

/** What a feed needs of a projection, whatever its state and events. */
interface Fed {
  readonly position: number;
  readonly failure: Error | undefined;
  apply(event: RecordedEvent): void;
  advanceTo(position: number): void;
  halt(error: Error): void;
  waitForPosition(position: number, timeoutMs?: number): Promise<void>;
}

/** One subscription feeding a fixed set of projections. */
class Feed {
  private subscription: Subscription | undefined;
  private started = false;
  private abortStart: ((error: Error) => void) | undefined;

  constructor(
    private readonly store: EventStore,
    private readonly projections: () => readonly Fed[],
    private readonly name: string,
    private readonly categories?: readonly string[],
  ) {}

  /** Subscribes after the lowest position of the projections; resolves when caught up. */
  start(): Promise<void> {
    if (this.started) return Promise.reject(new Error(`${this.name} already started`));
    this.started = true;
    const projections = this.projections();
    const after = lowest(projections);
    return new Promise<void>((resolve, reject) => {
      let caughtUp = false;
      this.abortStart = (error) => {
        if (!caughtUp) reject(error);
      };
      // `onError` is understood by adapters that can report delivery errors (JetStream does).
      const options: SubscribeAllOptions & { onError: (error: unknown) => void } = {
        afterPosition: after,
        ...(this.categories ? { categories: this.categories } : {}),
        onCaughtUp: (position) => {
          for (const p of projections) p.advanceTo(position);
          caughtUp = true;
          resolve();
        },
        onError: (error) => {
          const stopped = new ProjectionStoppedError(this.name, { cause: error });
          for (const p of projections) p.halt(stopped);
          if (!caughtUp) reject(stopped);
        },
      };
      this.subscription = this.store.subscribeAll(options, (event) => {
        for (const p of projections) p.apply(event);
        const failed = projections.find((p) => p.failure !== undefined)?.failure;
        if (failed && !caughtUp) reject(failed);
        // Nobody left to feed: end the subscription (not awaited: we are inside its handler).
        if (failed && projections.every((p) => p.failure !== undefined)) void this.subscription?.stop();
      });
    });
  }

  async stop(): Promise<void> {
    const subscription = this.subscription;
    this.subscription = undefined;
    await subscription?.stop();
    const stopped = new ProjectionStoppedError(this.name);
    for (const p of this.projections()) p.halt(stopped);
    this.abortStart?.(stopped);
  }
}

function lowest(projections: readonly Fed[]): number {
  return projections.length === 0 ? 0 : Math.min(...projections.map((p) => p.position));
}

export interface ProjectionRunnerOptions<TState, E extends DomainEvent = DomainEvent> extends ProjectionDefinition<TState, E> {
  readonly store: EventStore;
  /**
   * Subscribe to the streams of these categories only (`SubscribeAllOptions.categories`). Such a
   * projection catches up with `readStreamsToHead`, not `readToHead`.
   */
  readonly categories?: readonly string[];
}

/**
 * `ProjectionRunner.readToHead` for any projection fed from `store` (a member of a ProjectionGroup
 * included): waits until it has applied everything stored at the call. Returns whether it was
 * behind. Only for a projection whose subscription delivers every event.
 */
export async function readToHead(store: EventStore, projection: LiveProjection, timeoutMs?: number): Promise<boolean> {
  const head = await store.headPosition();
  if (projection.position >= head) return false;
  await projection.waitForPosition(head, timeoutMs);
  return true;
}

/** `ProjectionRunner.readStreamsToHead` for any projection fed from `store`: up to the last events of `streams`. */
export async function readStreamsToHead(store: EventStore, projection: LiveProjection, streams: readonly string[], timeoutMs?: number): Promise<boolean> {
  const lasts = await Promise.all(streams.map((stream) => store.lastPositionOf(stream)));
  const target = Math.max(0, ...lasts);
  if (projection.position >= target) return false;
  await projection.waitForPosition(target, timeoutMs);
  return true;
}

/** One projection with its own subscription. */
export class ProjectionRunner<TState, E extends DomainEvent = DomainEvent> extends Projection<TState, E> {
  private readonly feed: Feed;
  private readonly store: EventStore;
  private readonly filtered: boolean;

  constructor(options: ProjectionRunnerOptions<TState, E>) {
    super(options);
    this.store = options.store;
    this.filtered = options.categories !== undefined;
    this.feed = new Feed(options.store, () => [this], `projection ${this.name}`, options.categories);
  }

  /**
   * Applies everything stored up to the head of the log at the call (one read of the head).
   * For a decision or an answer that must not rest on a view another replica may already have
   * moved past ("not found", "nothing to do", a token rotated a moment ago). Returns whether the
   * projection was behind.
   */
  async readToHead(timeoutMs?: number): Promise<boolean> {
    // The head may be an event a filtered subscription never delivers: it would wait in vain.
    if (this.filtered) throw new Error(`projection ${this.name} subscribes to some categories only: use readStreamsToHead`);
    return readToHead(this.store, this, timeoutMs);
  }

  /**
   * Applies everything stored in `streams` up to their last events at the call (one read of each,
   * concurrently): the same guarantee as `readToHead` for an answer that rests on these streams
   * only, and the way a projection of some categories catches up. Returns whether it was behind.
   */
  readStreamsToHead(streams: readonly string[], timeoutMs?: number): Promise<boolean> {
    return readStreamsToHead(this.store, this, streams, timeoutMs);
  }

  /**
   * Subscribes from the checkpoint (or from the start) and resolves once every event stored at
   * the time of the call is applied. Rejects if `evolve` fails before that.
   */
  start(): Promise<void> {
    return this.feed.start();
  }

  /** Stops the subscription; pending `waitForPosition` calls reject with ProjectionStoppedError. */
  stop(): Promise<void> {
    return this.feed.stop();
  }
}

/**
 * Many projections fed by one subscription. A projection whose `evolve` fails stops alone (its
 * waiters reject) while the others go on; `start()` rejects if one fails before catching up.
 */
export class ProjectionGroup {
  private readonly members: Fed[] = [];
  private readonly feed: Feed;
  private started = false;

  constructor(options: { readonly store: EventStore; readonly name?: string }) {
    this.feed = new Feed(options.store, () => this.members, options.name ?? 'projection group');
  }

  /** Adds a projection; only before `start()`. */
  add<TState, E extends DomainEvent = DomainEvent>(definition: ProjectionDefinition<TState, E>): Projection<TState, E> {
    if (this.started) throw new Error('add projections before start()');
    const projection = new Projection(definition);
    this.members.push(projection);
    return projection;
  }

  get projections(): readonly Fed[] {
    return this.members;
  }

  /** The lowest position among the projections. */
  get position(): number {
    return lowest(this.members);
  }

  start(): Promise<void> {
    this.started = true;
    return this.feed.start();
  }

  /** Resolves when every projection has applied everything up to `position`. */
  async waitForPosition(position: number, timeoutMs = 5_000): Promise<void> {
    await Promise.all(this.members.map((p) => p.waitForPosition(position, timeoutMs)));
  }

  stop(): Promise<void> {
    return this.feed.stop();
  }
}
