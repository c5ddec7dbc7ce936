export * from './pki/index.js';
export * from './secrets/index.js';
export { PlatformError, isPlatformError, type PlatformErrorCode } from './platform-error.js';
