import { Catch, HttpException, Logger, type ArgumentsHost, type ExceptionFilter } from '@nestjs/common';
import { DomainError, type ErrorKind, SwarmErrors } from '#contracts';
import { bodyTooLarge } from './shapes/go-schema.js';
import type { FastifyReply, FastifyRequest } from 'fastify';

/** Docker's HTTP status for each error kind (errdefs). */
export const STATUS_BY_KIND: Record<ErrorKind, number> = {
  InvalidParameter: 400,
  Unauthorized: 401,
  Forbidden: 403,
  NotFound: 404,
  Conflict: 409,
  System: 500,
  Unavailable: 503,
};

/** The one place the gateway turns errors into Docker's `{"message": ...}` bodies and statuses. */
@Catch()
export class DockerErrorFilter implements ExceptionFilter {
  private readonly logger = new Logger('DockerErrorFilter');

  catch(error: unknown, host: ArgumentsHost): void {
    const reply = host.switchToHttp().getResponse<FastifyReply>();
    const { status, message } = this.describe(error, host.switchToHttp().getRequest<FastifyRequest | undefined>()?.id);
    void reply.status(status).header('Content-Type', 'application/json').send(`${JSON.stringify({ message })}\n`);
  }

  private describe(error: unknown, correlationId: string | undefined): { status: number; message: string } {
    if (error instanceof DomainError) return { status: STATUS_BY_KIND[error.kind], message: error.message };
    if (error instanceof HttpException) {
      const status = error.getStatus();
      if (status === 413) return { status, message: bodyTooLarge() };
      return { status, message: status === 404 ? 'page not found' : error.message };
    }
    // A JavaScript error's text (`Cannot read properties of null ...`) is for the log, never the client.
    this.logger.error({ msg: 'request failed', correlationId, err: error });
    return { status: 500, message: SwarmErrors.internal(correlationId).message };
  }
}
