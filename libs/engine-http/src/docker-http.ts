import type { FastifyInstance } from 'fastify';
import { API_VERSION, ENGINE_VERSION } from './engine.js';
import { apiVersionError } from './api-version.js';
import { DomainError, SwarmErrors } from '#contracts';
import { bodyTooLarge, MAX_BODY_BYTES } from './shapes/go-schema.js';

/**
 * Docker's HTTP conventions on the Fastify instance: the engine headers on every routed response, the
 * version range check, and bodies taken as text whatever their content type (the Engine does not
 * check it; handlers parse JSON with Docker's errors).
 */
export function applyDockerHttpConventions(fastify: FastifyInstance): void {
  fastify.removeAllContentTypeParsers();
  fastify.addContentTypeParser('*', { parseAs: 'string' }, (_request, body, done) => done(null, body));
  // One synchronous hook each (no promise per request: these run for every call, reads included).
  // A refusal for size goes before the engine headers are set, as before.
  fastify.addHook('onRequest', (request, reply, done) => {
    // A body over the limit is refused from its Content-Length before it is read, in Docker's shape;
    // a chunked body that grows past it is stopped by fastify's bodyLimit, answered by DockerErrorFilter.
    // No `Connection: close`: Node then discards the unread body, and the client, still sending
    // it, reads the answer instead of a reset connection.
    const length = Number(request.headers['content-length'] ?? 0);
    if (length > MAX_BODY_BYTES) {
      reply.status(413).header('Content-Type', 'application/json').send(`${JSON.stringify({ message: bodyTooLarge() })}\n`);
      return;
    }
    // An unknown route is the router's 404 (`page not found`): the Engine sends it without its
    // headers and without a version check, which only its routes have.
    if (request.is404) return done();
    reply.header('Api-Version', API_VERSION);
    reply.header('Docker-Experimental', 'false');
    reply.header('Ostype', 'linux');
    reply.header('Server', `Docker/${ENGINE_VERSION} (linux)`);
    const versionError = apiVersionError(request.originalUrl);
    if (!versionError) return done();
    if (versionError.json) {
      reply.status(400).header('Content-Type', 'application/json').send(`${JSON.stringify({ message: versionError.message })}\n`);
    } else {
      reply.status(400).header('Content-Type', 'text/plain; charset=utf-8').header('X-Content-Type-Options', 'nosniff').send(`${versionError.message}\n`);
    }
  });
  // Go's encoder ends JSON with a newline, and the docker CLI parses an error body only when the
  // content type is exactly `application/json` (Fastify would add a charset).
  fastify.addHook('onSend', (_request, reply, payload, done) => {
    const type = reply.getHeader('content-type');
    if (typeof type !== 'string' || !type.startsWith('application/json')) return done(null, payload);
    if (type !== 'application/json') reply.header('Content-Type', 'application/json');
    done(null, typeof payload === 'string' && !payload.endsWith('\n') ? `${payload}\n` : payload);
  });
}

/**
 * The Engine's `CheckForJSON`, which `POST /networks/create` applies (the swarm and node endpoints
 * do not): a body must come as `application/json` (parameters allowed); no header is fine only
 * without a body.
 */
export function checkForJson(contentType: string | undefined, body: unknown): void {
  const type = contentType ?? '';
  if (type === '' && (body === undefined || body === '')) return;
  if (type.split(';')[0]!.trim().toLowerCase() === 'application/json') return;
  throw new DomainError(SwarmErrors.invalidParameter(`Content-Type specified (${type}) must be 'application/json'`));
}
