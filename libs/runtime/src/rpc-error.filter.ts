import { Catch, Logger, type ArgumentsHost, type ExceptionFilter } from '@nestjs/common';
import { DomainError, SwarmErrors } from '#contracts';
import { WrongExpectedRevisionError } from '#eventstore';
import { throwError, type Observable } from 'rxjs';

/** The correlation id of the request being handled, when its payload carries a context. */
function correlationIdOf(host: ArgumentsHost | undefined): string | undefined {
  const data: unknown = host?.switchToRpc().getData();
  if (typeof data !== 'object' || data === null || !('context' in data)) return undefined;
  const context = (data as { context?: { correlationId?: unknown } }).context;
  return typeof context?.correlationId === 'string' ? context.correlationId : undefined;
}

/** The one place a service turns errors into RPC error payloads. */
@Catch()
export class RpcErrorFilter implements ExceptionFilter {
  private readonly logger = new Logger('RpcErrorFilter');

  catch(error: unknown, host?: ArgumentsHost): Observable<never> {
    if (error instanceof DomainError) return throwError(() => error.toPayload());
    if (error instanceof WrongExpectedRevisionError) {
      return throwError(() => SwarmErrors.updateOutOfSequence());
    }
    this.logger.error({ msg: 'request failed', correlationId: correlationIdOf(host), err: error });
    const message = error instanceof Error ? error.message : String(error);
    return throwError(() => SwarmErrors.system(message));
  }
}
