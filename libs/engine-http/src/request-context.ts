import { randomUUID } from 'node:crypto';
import type { IncomingMessage } from 'node:http';
import type { RequestContext } from '#contracts';
import type { FastifyRequest } from 'fastify';

const CORRELATION_ID = /^[\w.:-]{1,128}$/;

// UUID-shaped ids, unique without a random draw per request: a random head per process and a
// counter in the last group (0.1 µs against 0.5 µs for randomUUID, measured on the busy machine).
const ID_HEAD = randomUUID().slice(0, 24);
let idCounter = 0;

function nextCorrelationId(): string {
  idCounter = (idCounter + 1) % 0x1000000000000;
  return ID_HEAD + idCounter.toString(16).padStart(12, '0');
}

/**
 * Fastify's `genReqId`: the caller's `X-Correlation-Id` (or `X-Request-Id`) when it is a plain
 * token of at most 128 characters, else a fresh UUID-shaped id. It is the request's id in every
 * log line and the correlation id of every event the request causes.
 */
export function correlationIdOf(request: IncomingMessage): string {
  const header = request.headers['x-correlation-id'] ?? request.headers['x-request-id'];
  return typeof header === 'string' && CORRELATION_ID.test(header) ? header : nextCorrelationId();
}

/**
 * The request's id as its correlation id (the app sets `genReqId: correlationIdOf`); the actor is
 * the API caller.
 */
export function requestContext(request: FastifyRequest): RequestContext {
  // A caller on the unix socket has no address: `api:unix` (who may use it is the socket's mode and group).
  return { correlationId: request.id, actor: `api:${request.ip || 'unix'}` };
}
