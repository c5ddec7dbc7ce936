/**
 * A read model: folds events into a state and tracks the position it has reached. It has no
 * subscription of its own: a ProjectionRunner (one projection) or a ProjectionGroup (many
 * projections, one subscription) feeds it.
 */
import type { EventTypeSet } from '#contracts';
import type { DomainEvent, Recorded, RecordedEvent } from './port.js';
import { isEventOf, skippedEvents, type SkippedEventLog } from './skipped-events.js';

/**
 * A projection folds the events `E` (narrow on `type` in `evolve`). Give `handles` as the
 * `EventTypeSet` of `E` (libs/contracts event-types.ts): an event is folded only when it is of
 * those types and matches its schema. Without `handles`, every event of a registered type is.
 */
export interface ProjectionDefinition<TState, E extends DomainEvent = DomainEvent> {
  /** Used in error messages. */
  readonly name?: string;
  readonly initialState: TState;
  /** Must not mutate `state`; return the next state. */
  readonly evolve: (state: TState, event: Recorded<E>) => TState;
  /** Event types this projection folds; others are passed over but still advance the position. */
  readonly handles?: EventTypeSet<E> | readonly string[];
  /** Resume from a saved state: `state` is the state after every event up to `position`. */
  readonly checkpoint?: { readonly position: number; readonly state: TState };
  /** Failures of `evolve` and of `onEvent` listeners; default: written to stderr. */
  readonly onError?: (error: unknown, event: RecordedEvent | undefined) => void;
  /**
   * Called instead of `evolve` for a handled event that is skipped (it does not match its schema,
   * or `evolve` threw): e.g. to move a stream revision the state keeps, so that the next append to
   * that stream does not conflict with an event the projection could not fold. Must not throw.
   */
  readonly skip?: (state: TState, event: RecordedEvent) => TState;
  /** Where skipped events are recorded; default: the process's `skippedEvents`. */
  readonly skipped?: SkippedEventLog;
}

export type ProjectionListener<TState, E extends DomainEvent = DomainEvent> = (event: Recorded<E>, state: TState) => void;

export class ProjectionTimeoutError extends Error {
  constructor(
    readonly projection: string,
    readonly position: number,
    readonly reached: number,
    readonly timeoutMs: number,
  ) {
    super(`projection ${projection} did not reach position ${position} within ${timeoutMs} ms (it is at ${reached})`);
    this.name = 'ProjectionTimeoutError';
  }
}

export class ProjectionStoppedError extends Error {
  constructor(
    readonly projection: string,
    options?: ErrorOptions,
  ) {
    super(`projection ${projection} stopped`, options);
    this.name = 'ProjectionStoppedError';
  }
}

interface Waiter {
  readonly position: number;
  readonly resolve: () => void;
  readonly reject: (error: Error) => void;
}

export class Projection<TState, E extends DomainEvent = DomainEvent> {
  readonly name: string;
  private currentState: TState;
  private currentPosition: number;
  private stoppedBy: Error | undefined;
  private readonly handled: EventTypeSet<E> | undefined;
  private readonly listeners = new Set<ProjectionListener<TState, E>>();
  private readonly waiters = new Set<Waiter>();

  constructor(private readonly definition: ProjectionDefinition<TState, E>) {
    this.name = definition.name ?? 'projection';
    this.currentState = definition.checkpoint?.state ?? definition.initialState;
    this.currentPosition = definition.checkpoint?.position ?? 0;
    const handles = definition.handles;
    this.handled = handles === undefined ? undefined : Array.isArray(handles) ? new Set<string>(handles) : (handles as EventTypeSet<E>);
  }

  get state(): TState {
    return this.currentState;
  }

  /** The global position of the last event this projection has taken into account. */
  get position(): number {
    return this.currentPosition;
  }

  /** Why the projection stopped (its subscription failed or was stopped), if it did. */
  get failure(): Error | undefined {
    return this.stoppedBy;
  }

  /**
   * Folds one event; ignores events at or below the current position and after a stop. An event
   * that does not match its schema, or whose `evolve` throws, is skipped and recorded (it still
   * advances the position): one bad event in a log kept forever must not stop the read model.
   */
  apply(event: RecordedEvent): void {
    if (this.stoppedBy !== undefined || event.position <= this.currentPosition) return;
    if (this.handled === undefined || this.handled.has(event.type)) {
      const folded = this.fold(event);
      this.currentPosition = event.position;
      if (folded) this.notify(event);
    } else {
      this.currentPosition = event.position;
    }
    this.release();
  }

  /** Whether the event was folded (then it is one of `E`). */
  private fold(event: RecordedEvent): event is Recorded<E> {
    const skipped = this.definition.skipped ?? skippedEvents;
    if (!isEventOf(this.handled, event, (issue) => skipped.record(this.name, event, 'schema', issue))) {
      this.passOver(event);
      return false;
    }
    try {
      this.currentState = this.definition.evolve(this.currentState, event);
      return true;
    } catch (err) {
      if (this.definition.onError) this.definition.onError(err, event);
      skipped.record(this.name, event, 'apply', err instanceof Error ? err.message : String(err));
      this.passOver(event);
      return false;
    }
  }

  private passOver(event: RecordedEvent): void {
    if (!this.definition.skip) return;
    try {
      this.currentState = this.definition.skip(this.currentState, event);
    } catch (err) {
      this.report(err, event);
    }
  }

  private notify(event: Recorded<E>): void {
    for (const listener of this.listeners) {
      try {
        listener(event, this.currentState);
      } catch (err) {
        this.report(err, event);
      }
    }
  }

  /** Everything up to `position` has been seen (e.g. the subscription caught up past deleted events). */
  advanceTo(position: number): void {
    if (this.stoppedBy !== undefined || position <= this.currentPosition) return;
    this.currentPosition = position;
    this.release();
  }

  /** Resolves when everything up to `position` is applied; rejects after `timeoutMs` or on a stop. */
  waitForPosition(position: number, timeoutMs = 5_000): Promise<void> {
    if (this.currentPosition >= position) return Promise.resolve();
    if (this.stoppedBy !== undefined) return Promise.reject(this.stoppedBy);
    return new Promise<void>((resolve, reject) => {
      const timer = setTimeout(() => {
        this.waiters.delete(waiter);
        reject(new ProjectionTimeoutError(this.name, position, this.currentPosition, timeoutMs));
      }, timeoutMs);
      const waiter: Waiter = {
        position,
        resolve: () => {
          clearTimeout(timer);
          resolve();
        },
        reject: (error) => {
          clearTimeout(timer);
          reject(error);
        },
      };
      this.waiters.add(waiter);
    });
  }

  /** Called after each folded (handled) event with the new state; returns an unsubscribe function. */
  onEvent(listener: ProjectionListener<TState, E>): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  /** Stops taking events and rejects every waiter with `error`. */
  halt(error: Error): void {
    this.stoppedBy ??= error;
    for (const waiter of this.waiters) waiter.reject(this.stoppedBy);
    this.waiters.clear();
  }

  private release(): void {
    for (const waiter of this.waiters) {
      if (waiter.position <= this.currentPosition) {
        this.waiters.delete(waiter);
        waiter.resolve();
      }
    }
  }

  private report(error: unknown, event: RecordedEvent | undefined): void {
    if (this.definition.onError) this.definition.onError(error, event);
    else console.error(`projection ${this.name}:`, error);
  }
}
