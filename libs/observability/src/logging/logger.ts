import type { LoggerService } from '@nestjs/common';
import { pino, type DestinationStream, type Level, type Logger } from 'pino';
import { REDACTED, redactionPaths, scrubSecrets } from './redaction.js';

const LEVELS: readonly string[] = ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'];

/** `LOG_LEVEL` (fatal, error, warn, info, debug, trace, silent); default `info`. */
export function logLevelFrom(env: NodeJS.ProcessEnv = process.env): string {
  const level = (env.LOG_LEVEL ?? 'info').trim().toLowerCase();
  return LEVELS.includes(level) ? level : 'info';
}

/**
 * The process's JSON logger: one line per entry on stdout (or `destination`), `service` on every
 * line, secrets redacted by field name and scrubbed from messages.
 */
export function createLogger(service: string, options: { level?: string; destination?: DestinationStream } = {}): Logger {
  return pino(
    {
      level: options.level ?? logLevelFrom(),
      base: { service, pid: process.pid },
      redact: { paths: redactionPaths(), censor: REDACTED },
      hooks: {
        logMethod(args, method) {
          method.apply(this, args.map((arg) => (typeof arg === 'string' ? scrubSecrets(arg) : arg)) as Parameters<typeof method>);
        },
      },
      serializers: { err: (err: unknown) => serializeError(err) },
    },
    // Asynchronous: lines written while a write is in flight leave together (one syscall, one wake-up
    // of the supervisor reading the pipe, instead of one per request line); none waits for a buffer
    // to fill, and pino flushes what is left when the process exits.
    options.destination ?? pino.destination({ dest: 1, sync: false }),
  );
}

function serializeError(err: unknown): unknown {
  if (!(err instanceof Error)) return err;
  return { type: err.name, message: scrubSecrets(err.message), stack: err.stack === undefined ? undefined : scrubSecrets(err.stack) };
}

/**
 * NestJS's LoggerService on pino: Nest's `(message, ...params)` calls, where the last string
 * parameter is the context and `error` may carry a stack before it.
 */
export class PinoLoggerService implements LoggerService {
  constructor(readonly pino: Logger) {}

  log(message: unknown, ...params: unknown[]): void {
    this.write('info', message, params);
  }

  error(message: unknown, ...params: unknown[]): void {
    this.write('error', message, params);
  }

  warn(message: unknown, ...params: unknown[]): void {
    this.write('warn', message, params);
  }

  debug(message: unknown, ...params: unknown[]): void {
    this.write('debug', message, params);
  }

  verbose(message: unknown, ...params: unknown[]): void {
    this.write('trace', message, params);
  }

  fatal(message: unknown, ...params: unknown[]): void {
    this.write('fatal', message, params);
  }

  private write(level: Level, message: unknown, params: unknown[]): void {
    if (!this.pino.isLevelEnabled(level)) return;
    const strings = params.filter((p): p is string => typeof p === 'string');
    const context = strings.length > 0 ? strings[strings.length - 1] : undefined;
    const stack = level === 'error' && strings.length > 1 ? strings[0] : undefined;
    const fields: Record<string, unknown> = context === undefined ? {} : { context };
    if (stack !== undefined) fields.stack = scrubSecrets(stack);
    if (message instanceof Error) this.pino[level]({ ...fields, err: message }, message.message);
    else if (typeof message === 'object' && message !== null) {
      const { msg, ...rest } = message as Record<string, unknown>;
      this.pino[level]({ ...fields, ...rest }, typeof msg === 'string' ? msg : '');
    } else this.pino[level](fields, String(message));
  }
}
