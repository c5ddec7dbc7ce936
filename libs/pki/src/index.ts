export * from './pki/index.js';
export * from './secrets/index.js';
export { PkiError, isPkiError, type PkiErrorCode } from './pki-error.js';
