import { Catch, Logger, type ArgumentsHost, type ExceptionFilter } from '@nestjs/common';
import { DomainError, SwarmErrors } from '#contracts';
import { ProjectionTimeoutError, WrongExpectedRevisionError, isTransient } from '#eventstore';
import { throwError, type Observable } from 'rxjs';
import { payloadCorrelationId } from '#observability';

/** The one place a service turns errors into RPC error payloads. */
@Catch()
export class RpcErrorFilter implements ExceptionFilter {
  private readonly logger = new Logger('RpcErrorFilter');

  catch(error: unknown, host?: ArgumentsHost): Observable<never> {
    if (error instanceof DomainError) return throwError(() => error.toPayload());
    if (error instanceof WrongExpectedRevisionError) {
      return throwError(() => SwarmErrors.updateOutOfSequence());
    }
    // Retryable: the replica is catching up, or NATS did not answer within the retries (failover).
    if (error instanceof ProjectionTimeoutError) return throwError(() => SwarmErrors.readModelBehind(error.message));
    if (isTransient(error)) {
      this.logger.warn({ msg: 'NATS unavailable', correlationId: payloadCorrelationId(host?.switchToRpc().getData()), err: error });
      return throwError(() => SwarmErrors.serviceUnavailable('event store'));
    }
    // A JavaScript error's text is for the log only: the caller gets a generic answer.
    const correlationId = payloadCorrelationId(host?.switchToRpc().getData());
    this.logger.error({ msg: 'request failed', correlationId, err: error });
    return throwError(() => SwarmErrors.internal(correlationId));
  }
}
