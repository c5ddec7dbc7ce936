import type { FastifyReply, FastifyRequest } from 'fastify';
import type { EngineCall } from '../swarm-port-client/swarm-port-client.js';
import type { ForwardedAnswer } from './manager-forwarder.js';

/** The Engine API call the client made here, to make again on the control plane. */
export function engineCallOf(request: FastifyRequest): EngineCall {
  const body = request.body;
  const bytes = body === undefined || body === null || body === '' ? undefined : Buffer.from(typeof body === 'string' ? body : JSON.stringify(body));
  const contentType = request.headers['content-type'];
  return { method: request.method, url: request.url, contentType, body: bytes };
}

/** Sends the control plane's answer on as it came; a client that goes away stops the upstream stream. */
export function sendForwarded(reply: FastifyReply, answer: ForwardedAnswer): void {
  if (!Buffer.isBuffer(answer.body)) {
    const upstream = answer.body;
    reply.raw.once('close', () => {
      if (!upstream.readableEnded) upstream.destroy();
    });
  }
  void reply.status(answer.status).header('Content-Type', answer.contentType).send(answer.body);
}
