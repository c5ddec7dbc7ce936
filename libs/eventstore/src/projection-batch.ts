/**
 * Group commit on a live projection (decision 0016): the commands queued for one stream while the
 * previous append was in flight are decided together, in turn, on the projection's view, and
 * their events appended in one call at the view's revision (one round trip on JetStream, see
 * jetstream/append.ts). Each command is answered from its own decision. The Engine's raft batches
 * proposals the same way. Mode 2 of decision 0014, for many commands at once.
 */
import { PartialAppendError } from './jetstream/append.js';
import { reportCommandRetry } from './command-handler.js';
import { WrongExpectedRevisionError, type EventStore, type NewEvent } from './port.js';
import type { ProjectedView } from './projection-command.js';

/** One command's decision within a batch: its event, or why it was refused. */
export type InTurnDecision = { readonly event: NewEvent; readonly refusal?: undefined } | { readonly event?: undefined; readonly refusal: unknown };

/** One command's outcome: stored (at `position` or before), refused, or failed with the append. */
export type BatchOutcome =
  | { readonly kind: 'stored'; readonly event: NewEvent; readonly position: number }
  | { readonly kind: 'refused'; readonly refusal: unknown }
  | { readonly kind: 'failed'; readonly error: unknown };

export interface DecideBatchOnProjectionOptions<TView extends ProjectedView, TCommand> {
  readonly store: EventStore;
  readonly stream: string;
  /** The view now (synchronous, the projection's own entry): decided on at its revision. */
  readonly view: () => TView;
  /**
   * Pure: one decision per command, each on the view as the ones accepted before it leave it; the
   * view must be left as found (the projection applies the events once they are stored).
   */
  readonly decideInTurn: (view: TView, commands: readonly TCommand[]) => readonly InTurnDecision[];
  /** Applies what the stream holds up to its head (after a conflict). */
  readonly catchUp: () => Promise<unknown>;
  /** Rounds after a conflict; default 19. */
  readonly maxRetries?: number;
}

/**
 * Decides and appends `commands` as one batch; resolves with one outcome per command, in order.
 * A refusal decided here may rest on a view that lags: the caller decides such a command again
 * alone (decideOnProjection checks a refusal at the head). The projection is not awaited: the
 * caller waits for the stored positions before it decides on the view again.
 */
export async function decideBatchOnProjection<TView extends ProjectedView, TCommand>(
  options: DecideBatchOnProjectionOptions<TView, TCommand>,
  commands: readonly TCommand[],
): Promise<BatchOutcome[]> {
  const outcomes: BatchOutcome[] = new Array<BatchOutcome>(commands.length);
  let pending = commands.map((_, index) => index);
  const maxRetries = options.maxRetries ?? 19;
  for (let attempt = 1; pending.length > 0; attempt++) {
    const view = options.view();
    const decisions = options.decideInTurn(view, pending.map((index) => commands[index]!));
    const events: NewEvent[] = [];
    const deciding: number[] = [];
    decisions.forEach((decision, k) => {
      const index = pending[k]!;
      if (decision.event) {
        events.push(decision.event);
        deciding.push(index);
      } else outcomes[index] = { kind: 'refused', refusal: decision.refusal };
    });
    if (events.length === 0) break;
    try {
      const { position } = await options.store.append(options.stream, events, view.revision);
      deciding.forEach((index, k) => (outcomes[index] = { kind: 'stored', event: events[k]!, position }));
      break;
    } catch (error) {
      const stored = error instanceof PartialAppendError ? error.appended : 0;
      if (error instanceof PartialAppendError) {
        deciding.slice(0, stored).forEach((index, k) => (outcomes[index] = { kind: 'stored', event: events[k]!, position: error.lastPosition }));
      }
      pending = deciding.slice(stored);
      const retry = (error instanceof WrongExpectedRevisionError || error instanceof PartialAppendError) && attempt <= maxRetries;
      if (!retry) {
        for (const index of pending) outcomes[index] = { kind: 'failed', error };
        break;
      }
      reportCommandRetry(options.stream);
      await options.catchUp();
    }
  }
  return outcomes;
}
