import { randomUUID } from 'node:crypto';
import type { RequestContext } from '#contracts';
import type { FastifyRequest } from 'fastify';

/** Correlation id from `X-Correlation-Id` when the caller sends one; the actor is the API caller. */
export function requestContext(request: FastifyRequest): RequestContext {
  const header = request.headers['x-correlation-id'];
  const correlationId = typeof header === 'string' && /^[\w.:-]{1,128}$/.test(header) ? header : randomUUID();
  return { correlationId, actor: `api:${request.ip}` };
}
