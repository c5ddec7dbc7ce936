/** Machine codes for failures raised by the platform adapters (PKI, secret sealing, key files). */
export type PlatformErrorCode =
  | 'InvalidCsr'
  | 'InvalidCertificate'
  | 'InvalidKey'
  | 'SecretUnsealFailed'
  | 'KekFileInvalid'
  /** The KEK file is sealed under the manager unlock key (autolock): unlock first. */
  | 'KekLocked'
  | 'UnlockKeyMalformed'
  | 'UnlockKeyWrong';

export class PlatformError extends Error {
  readonly code: PlatformErrorCode;

  constructor(code: PlatformErrorCode, message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'PlatformError';
    this.code = code;
  }
}

export function isPlatformError(value: unknown, code?: PlatformErrorCode): value is PlatformError {
  return value instanceof PlatformError && (code === undefined || value.code === code);
}
