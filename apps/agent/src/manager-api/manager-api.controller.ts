import { All, Controller, Inject, Req, Res } from '@nestjs/common';
import { DomainError, SwarmErrors } from '#contracts';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { IdentityStore } from '../identity/identity-store.js';
import { HeartbeatService } from '../heartbeat/heartbeat.service.js';
import { ManagerForwarder } from './manager-forwarder.js';

const WORKER =
  "This node is not a swarm manager. Worker nodes can't be used to view or modify cluster state. Please run this command on a manager node or promote the current node to a manager.";

/**
 * The manager API on a machine that is not the first manager: a manager agent forwards it to the
 * control plane; a worker answers the Engine's 503 (403 for creating a multi-host network); a
 * machine outside any swarm the "not a swarm manager" 503.
 */
@Controller()
export class ManagerApiController {
  constructor(
    @Inject(IdentityStore) private readonly identities: IdentityStore,
    @Inject(ManagerForwarder) private readonly manager: ManagerForwarder,
    @Inject(HeartbeatService) private readonly heartbeat: HeartbeatService,
  ) {}

  @All(['swarm', 'swarm/update', 'swarm/unlockkey', 'nodes', 'nodes/*', 'networks', 'networks/*', 'events', 'audit', 'audit/*'])
  async handle(@Req() request: FastifyRequest, @Res() reply: FastifyReply): Promise<void> {
    const identity = this.identities.identity;
    const path = request.url.split('?')[0] ?? '';
    if (identity?.role === 'manager') {
      const answer = await this.manager.forward(request.method, request.url, bodyOf(request.body), request.headers['content-type']);
      // 403: the control plane no longer sees us as a manager (demoted; the new certificate is on its way).
      if (answer.status === 403) {
        this.heartbeat.nudge();
        throw new DomainError({ code: 'WorkerNode', kind: 'Unavailable', message: WORKER });
      }
      void reply.status(answer.status).header('Content-Type', answer.contentType).send(answer.body);
      return;
    }
    if (request.method === 'GET' && path === '/networks') {
      void reply.header('Content-Type', 'application/json').send('[]\n');
      return;
    }
    if (!identity) {
      if (request.method === 'GET' && path.startsWith('/networks/')) throw new DomainError(SwarmErrors.notFound(`network ${path.slice(10)} not found`));
      throw new DomainError(SwarmErrors.notManager());
    }
    if (request.method === 'POST' && path === '/networks/create') {
      throw new DomainError({ code: 'WorkerNetwork', kind: 'Forbidden', message: 'Cannot create a multi-host network from a worker node. Please create the network from a manager node.' });
    }
    if (path.startsWith('/networks/')) throw new DomainError(SwarmErrors.notFound(`network ${path.slice(10)} not found`));
    throw new DomainError({ code: 'WorkerNode', kind: 'Unavailable', message: WORKER });
  }
}

/** The request body as received (text, or JSON that a parser already read). */
function bodyOf(body: unknown): Buffer | undefined {
  if (body === undefined || body === null || body === '') return undefined;
  return Buffer.from(typeof body === 'string' ? body : JSON.stringify(body));
}
