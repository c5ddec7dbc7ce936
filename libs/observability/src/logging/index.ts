export { PinoLoggerService, createLogger, logLevelFrom } from './logger.js';
export { REDACTED, SECRET_FIELDS, redactionPaths, scrubSecrets } from './redaction.js';
export { RpcLoggingInterceptor, payloadCorrelationId } from './rpc-logging.interceptor.js';
