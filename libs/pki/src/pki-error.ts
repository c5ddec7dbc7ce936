/** Machine codes for failures raised by the PKI library (PKI, secret sealing, key files). */
export type PkiErrorCode =
  | 'InvalidCsr'
  | 'InvalidCertificate'
  | 'InvalidKey'
  | 'SecretUnsealFailed'
  | 'KekFileInvalid'
  /** The KEK file is sealed under the manager unlock key (autolock): unlock first. */
  | 'KekLocked'
  | 'UnlockKeyMalformed'
  | 'UnlockKeyWrong';

export class PkiError extends Error {
  readonly code: PkiErrorCode;

  constructor(code: PkiErrorCode, message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'PkiError';
    this.code = code;
  }
}

export function isPkiError(value: unknown, code?: PkiErrorCode): value is PkiError {
  return value instanceof PkiError && (code === undefined || value.code === code);
}
