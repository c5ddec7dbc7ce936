import { presentVersion } from '#engine-http';
import { Controller, Get, Head, Header, Inject, Res } from '@nestjs/common';
import type { FastifyReply } from 'fastify';
import { ReadModelService } from '../read-model/read-model.service.js';
import { presentInfo } from './info.presenter.js';

/** `/_ping`, `/version`, `/info`. */
@Controller()
export class SystemController {
  constructor(@Inject(ReadModelService) private readonly readModel: ReadModelService) {}

  @Get('_ping')
  ping(@Res() reply: FastifyReply): void {
    this.pingHeaders(reply).header('Content-Type', 'text/plain; charset=utf-8').send('OK');
  }

  @Head('_ping')
  pingHead(@Res() reply: FastifyReply): void {
    this.pingHeaders(reply).header('Content-Type', 'text/plain; charset=utf-8').header('Content-Length', '0').send();
  }

  @Get('version')
  @Header('Content-Type', 'application/json')
  version(): Record<string, unknown> {
    return presentVersion('swarmplane');
  }

  @Get('info')
  @Header('Content-Type', 'application/json')
  info(): Record<string, unknown> {
    return presentInfo(this.readModel.model, 0);
  }

  private pingHeaders(reply: FastifyReply): FastifyReply {
    const model = this.readModel.model;
    const swarm = model.active ? 'active/manager' : model.membership ? 'pending' : 'inactive';
    return reply
      .header('Cache-Control', 'no-cache, no-store, must-revalidate')
      .header('Pragma', 'no-cache')
      .header('Swarm', swarm);
  }
}
