import { Injectable, Logger, type CallHandler, type ExecutionContext, type NestInterceptor } from '@nestjs/common';
import { DomainError } from '#contracts';
import { tap, type Observable } from 'rxjs';
import { logLevelFrom } from './logger.js';

/** The correlation id carried by a request payload's `context`, when there is one. */
export function payloadCorrelationId(data: unknown): string | undefined {
  if (typeof data !== 'object' || data === null || !('context' in data)) return undefined;
  const context = (data as { context?: { correlationId?: unknown } }).context;
  return typeof context?.correlationId === 'string' ? context.correlationId : undefined;
}

const DEBUG = ['debug', 'trace'].includes(logLevelFrom());

/**
 * One log line per NATS request a service handles, with the request's correlation id: `debug`
 * when it succeeds, `info` when it answers a Docker error (the unexpected ones are logged by
 * RpcErrorFilter with their stack).
 */
@Injectable()
export class RpcLoggingInterceptor implements NestInterceptor {
  private readonly logger = new Logger('rpc');

  intercept(context: ExecutionContext, next: CallHandler): Observable<unknown> {
    const rpc = context.switchToRpc();
    const started = performance.now();
    const describe = (): Record<string, unknown> => {
      const ctx: unknown = rpc.getContext();
      const subject = typeof (ctx as { getSubject?: unknown })?.getSubject === 'function' ? (ctx as { getSubject(): string }).getSubject() : undefined;
      return { subject, correlationId: payloadCorrelationId(rpc.getData()), ms: Math.round((performance.now() - started) * 1000) / 1000 };
    };
    return next.handle().pipe(
      tap({
        // Only built when debug lines are kept: this runs for every request a service answers.
        complete: () => {
          if (DEBUG) this.logger.debug({ msg: 'handled', ...describe() });
        },
        error: (error: unknown) => {
          if (error instanceof DomainError) this.logger.log({ msg: `answered ${error.code}`, ...describe() });
        },
      }),
    );
  }
}
