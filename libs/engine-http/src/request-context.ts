import { randomUUID } from 'node:crypto';
import type { IncomingMessage } from 'node:http';
import type { RequestContext } from '#contracts';
import type { FastifyRequest } from 'fastify';

const CORRELATION_ID = /^[\w.:-]{1,128}$/;

/**
 * Fastify's `genReqId`: the caller's `X-Correlation-Id` (or `X-Request-Id`) when it is a plain
 * token of at most 128 characters, else a fresh UUID. It is the request's id in every log line and
 * the correlation id of every event the request causes.
 */
export function correlationIdOf(request: IncomingMessage): string {
  const header = request.headers['x-correlation-id'] ?? request.headers['x-request-id'];
  return typeof header === 'string' && CORRELATION_ID.test(header) ? header : randomUUID();
}

/**
 * The request's id as its correlation id (the app sets `genReqId: correlationIdOf`); the actor is
 * the API caller.
 */
export function requestContext(request: FastifyRequest): RequestContext {
  return { correlationId: request.id, actor: `api:${request.ip}` };
}
