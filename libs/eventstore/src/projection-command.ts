/**
 * The command path, mode 2 (decision 0014): decide on a live projection at the stream revision it
 * reflects, append with that revision, and on a conflict catch the projection up and decide again
 * (bounded). No read of the stream per command: for hot paths whose state a projection already
 * holds (a cluster's network space, its nodes). Mode 1, load the stream and decide, is in
 * command-handler.ts; both end in the same append at an expected revision.
 */
import { WrongExpectedRevisionError, type EventStore, type NewEvent } from './port.js';
import { reportCommandRetry } from './command-handler.js';

/** What a projection holds for one stream: whatever to decide on, and the revision it reflects. */
export interface ProjectedView {
  readonly revision: number | 'no_stream';
}

/** The projection the views come from (a ProjectionRunner). */
export interface LiveProjection {
  /** Global position of the last event applied. */
  readonly position: number;
  waitForPosition(position: number, timeoutMs?: number): Promise<void>;
}

export interface DecideOnProjectionOptions<TView extends ProjectedView> {
  readonly store: EventStore;
  readonly stream: string;
  readonly projection: LiveProjection;
  /**
   * The view now, read from the projection's state (synchronous, no copy: the projection's own
   * entry for the stream). May throw a refusal ("not
   * found"); like a refusal of `decide`, it is checked again once after `catchUp` (the view may lag).
   */
  readonly view: () => TView;
  /** Pure: the events to append, none when already so; throws a refusal. */
  readonly decide: (view: TView) => readonly NewEvent[];
  /**
   * Applies what the store holds up to its head (of `stream`, or of the log) and resolves whether
   * the projection was behind. Used before trusting a refusal or "nothing to do" decided on a view
   * another replica may have moved past, and after a conflict.
   */
  readonly catchUp: () => Promise<boolean>;
  /** Decisions after a conflict; default 19 (so at most 20 attempts). */
  readonly maxRetries?: number;
  /** How long to wait for the projection to apply an append; default 10 s. */
  readonly timeoutMs?: number;
  /**
   * A conflict not to retry: return the error to throw instead (a client that named the revision,
   * "update out of sequence"); undefined retries.
   */
  readonly onConflict?: (error: WrongExpectedRevisionError) => Error | undefined;
}

export interface ProjectionCommandResult {
  /** The events appended, as sent; empty when the command was already applied. */
  readonly events: readonly NewEvent[];
  /** Of the last appended event; when nothing was, the projection's position (it saw the head). */
  readonly position: number;
  readonly attempts: number;
}

export async function decideOnProjection<TView extends ProjectedView>(options: DecideOnProjectionOptions<TView>): Promise<ProjectionCommandResult> {
  const { store, stream, projection, decide, catchUp } = options;
  const maxRetries = options.maxRetries ?? 19;
  const timeoutMs = options.timeoutMs ?? 10_000;
  for (let attempt = 1; ; attempt++) {
    let view: TView;
    let events: readonly NewEvent[];
    try {
      view = options.view();
      events = decide(view);
    } catch (refusal) {
      // A refusal on a stale view (a name freed, a node registered by another replica) must not stand.
      if (attempt > 1 || !(await catchUp())) throw refusal;
      continue;
    }
    // Nothing to do may also be a stale view: only the head can say "already applied".
    if (events.length === 0) {
      if (attempt === 1 && (await catchUp())) continue;
      return { events, position: projection.position, attempts: attempt };
    }
    try {
      const result = await store.append(stream, events, view.revision);
      await projection.waitForPosition(result.position, timeoutMs);
      return { events, position: result.position, attempts: attempt };
    } catch (error) {
      if (!(error instanceof WrongExpectedRevisionError)) throw error;
      const instead = options.onConflict?.(error);
      if (instead) throw instead;
      if (attempt > maxRetries) throw error;
      reportCommandRetry(stream);
      await catchUp();
    }
  }
}
