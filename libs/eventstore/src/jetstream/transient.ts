/**
 * Errors a JetStream request meets while a NATS node is lost or a stream elects a new leader, and
 * the bounded retry around them. Retrying is only safe for idempotent requests: reads, and
 * publishes that carry a `Nats-Msg-Id` and an expectation (see append.ts).
 */
import { JetStreamApiError, JetStreamError } from '@nats-io/jetstream';
import { ConnectionError, RequestError, TimeoutError, type NatsConnection } from '@nats-io/nats-core';

/** How long a request is retried after its first attempt failed transiently. */
export interface RetryPolicy {
  readonly retryForMs: number;
}

/**
 * True for failures that say nothing about the request itself: no reply in time, no responders
 * (503: the stream has no leader yet, or our server lost its routes), a connection being
 * replaced, JetStream "temporarily unavailable" (api error with status 503).
 */
export function isTransient(err: unknown, nc?: NatsConnection): boolean {
  if (nc?.isClosed()) return false; // closed by us: nothing to wait for
  if (err instanceof TimeoutError || err instanceof RequestError || err instanceof ConnectionError) return true;
  if (err instanceof JetStreamApiError) return err.status === 503 || err.status === 408;
  if (err instanceof JetStreamError) return /timeout|no responders|leader/i.test(err.message);
  // The client reports "no responders" on a JetStream subject as "jetstream is not enabled", with
  // the RequestError as its cause.
  return err instanceof Error && err.cause !== undefined && isTransient(err.cause, nc);
}

/** Runs `attempt` until it succeeds, fails for good, or `retryForMs` passed since the first failure. */
export async function retryTransient<T>(
  nc: NatsConnection,
  policy: RetryPolicy,
  attempt: (retry: number) => Promise<T>,
): Promise<T> {
  let firstFailure: number | undefined;
  for (let retry = 0; ; retry++) {
    try {
      return await attempt(retry);
    } catch (err) {
      firstFailure ??= Date.now();
      if (!isTransient(err, nc) || Date.now() - firstFailure >= policy.retryForMs) throw err;
      await delay(backoffMs(retry));
    }
  }
}

/** 50 ms doubling to 1 s, with jitter so that replicas do not retry in step. */
export function backoffMs(retry: number): number {
  const base = Math.min(1_000, 50 * 2 ** retry);
  return base / 2 + Math.random() * (base / 2);
}

function delay(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}
