import { Injectable } from '@nestjs/common';
import type { FastifyInstance } from 'fastify';
import type { PortReply } from './port-reply.js';

/**
 * Answers an Engine API call made by a manager agent exactly as the gateway's own Engine API
 * answers it: the request is injected into the gateway's HTTP router (no network hop).
 */
@Injectable()
export class EngineForwarder {
  private fastify: FastifyInstance | undefined;

  attach(fastify: FastifyInstance): void {
    this.fastify = fastify;
  }

  async forward(method: string, url: string, contentType: string | undefined, body: Buffer): Promise<PortReply> {
    if (!this.fastify) throw new Error('the Engine API is not ready');
    const response = await this.fastify.inject({
      method: method as 'GET',
      url,
      ...(body.length > 0 ? { payload: body, headers: { 'content-type': contentType ?? 'application/json' } } : {}),
    });
    return { status: response.statusCode, contentType: String(response.headers['content-type'] ?? 'application/json'), body: response.rawPayload };
  }
}
