import { All, Controller, Inject, NotFoundException, Req, Res } from '@nestjs/common';
import { DomainError } from '#contracts';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { IdentityStore } from '../identity-store/identity-store.js';
import { engineCallOf, sendForwarded } from './forwarded-reply.js';
import { localAnswer } from './local-answer.js';
import { ManagerForwarder } from './manager-forwarder.js';

/**
 * Every Engine API call the agent does not answer itself: a manager agent forwards it to the
 * control plane; a worker, or an agent outside a swarm, answers as the Engine does.
 */
@Controller()
export class ManagerApiController {
  constructor(
    @Inject(IdentityStore) private readonly identities: IdentityStore,
    @Inject(ManagerForwarder) private readonly manager: ManagerForwarder,
  ) {}

  @All('*')
  async handle(@Req() request: FastifyRequest, @Res() reply: FastifyReply): Promise<void> {
    const identity = this.identities.identity;
    if (identity?.role === 'manager') {
      sendForwarded(reply, await this.manager.forward(engineCallOf(request)));
      return;
    }
    const path = request.url.split('?')[0] ?? '/';
    const answer = localAnswer(request.method, path, identity ? 'worker' : 'not-joined');
    switch (answer.kind) {
      case 'error':
        throw new DomainError(answer.error);
      case 'json':
        void reply.status(200).header('Content-Type', 'application/json').send(JSON.stringify(answer.body));
        return;
      case 'page-not-found':
        throw new NotFoundException();
    }
  }
}
