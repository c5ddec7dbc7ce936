/**
 * Error kinds, as the Docker Engine classifies errors (errdefs). The gateway maps a kind to an
 * HTTP status in one place; services only choose the kind and the exact Docker message.
 */
export type ErrorKind =
  | 'InvalidParameter' // 400
  | 'Unauthorized' // 401
  | 'Forbidden' // 403
  | 'NotFound' // 404
  | 'Conflict' // 409
  | 'System' // 500: Docker's untyped errors
  | 'Unavailable'; // 503

/** The body of an RPC error reply and of every domain error crossing a process boundary. */
export interface ErrorPayload {
  /** Stable machine code, e.g. `AlreadyInSwarm`. */
  readonly code: string;
  readonly kind: ErrorKind;
  /** Docker's message, byte for byte. */
  readonly message: string;
}

export function isErrorPayload(value: unknown): value is ErrorPayload {
  if (typeof value !== 'object' || value === null) return false;
  const v = value as Record<string, unknown>;
  return typeof v.code === 'string' && typeof v.kind === 'string' && typeof v.message === 'string';
}
