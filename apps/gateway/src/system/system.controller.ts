import { presentVersion, sendPing } from '#engine-http';
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
    sendPing(reply, this.swarmState(), false);
  }

  @Head('_ping')
  pingHead(@Res() reply: FastifyReply): void {
    sendPing(reply, this.swarmState(), true);
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

  private swarmState(): string {
    const model = this.readModel.model;
    return model.active ? 'active/manager' : model.membership ? 'pending' : 'inactive';
  }
}
