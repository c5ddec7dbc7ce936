import { DomainError, type ErrorPayload } from '#contracts';
import { ProjectionTimeoutError, WrongExpectedRevisionError, isTransient } from '#eventstore';

/**
 * Whether a failed init step may succeed if tried again: no answer in time (a service or a NATS
 * node failing over, `Unavailable`), a read model catching up, an append that lost a race. Anything
 * else is a refusal (bad input, a service's rule) or a fault that the same input meets again:
 * the init is abandoned rather than left half-made.
 */
export function isRetryableInitFailure(error: unknown): boolean {
  if (error instanceof DomainError) return error.kind === 'Unavailable' || error.code === 'UpdateOutOfSequence';
  return error instanceof WrongExpectedRevisionError || error instanceof ProjectionTimeoutError || isTransient(error);
}

/** The refusal as `SwarmInitAbandoned` records it (and the client reads it). */
export function refusalOf(error: unknown): ErrorPayload {
  if (error instanceof DomainError) return { ...error.toPayload(), message: error.message.slice(0, 4096) };
  const message = error instanceof Error ? error.message : String(error);
  return { code: 'System', kind: 'System', message: message.slice(0, 4096) };
}

/** Waits between attempts: 250 ms doubling to 5 s. */
export function retryDelayMs(attempt: number): number {
  return Math.min(5_000, 250 * 2 ** Math.min(attempt, 5));
}
