import type { ErrorKind, ErrorPayload } from './error-kind.js';

/** A rule violation. Thrown by deciders; carried over NATS as its payload; mapped once per transport. */
export class DomainError extends Error {
  readonly code: string;
  readonly kind: ErrorKind;

  constructor(payload: ErrorPayload) {
    super(payload.message);
    this.name = 'DomainError';
    this.code = payload.code;
    this.kind = payload.kind;
  }

  toPayload(): ErrorPayload {
    return { code: this.code, kind: this.kind, message: this.message };
  }
}
