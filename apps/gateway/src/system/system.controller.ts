import { TOKEN_AGE_POLICY, tokenAgePolicy, type TokenAgePolicy } from '#service-host';
import { LockState } from '../swarm/lock-state.js';
import { presentVersion, sendPing } from '#engine-http';
import { ApiExcludeController } from '@nestjs/swagger';
import { Controller, Get, Head, Header, Inject, Optional, Res } from '@nestjs/common';
import type { FastifyReply } from 'fastify';
import { ReadModelService } from '../read-model/read-model.service.js';
import { HealthService } from './health.service.js';
import { presentInfo } from './info.presenter.js';

/** `/_ping` (500 while the bus or the store is down, 503 while a service is), `/version`, `/info`. */
@ApiExcludeController()
@Controller()
export class SystemController {
  constructor(
    @Inject(ReadModelService) private readonly readModel: ReadModelService,
    @Inject(HealthService) private readonly health: HealthService,
    @Inject(LockState) private readonly lock: LockState,
    @Optional() @Inject(TOKEN_AGE_POLICY) private readonly tokenAge: TokenAgePolicy = tokenAgePolicy(),
  ) {}

  @Get('_ping')
  async ping(@Res() reply: FastifyReply): Promise<void> {
    sendPing(reply, this.swarmState(), false, await this.health.pingHealth());
  }

  @Head('_ping')
  async pingHead(@Res() reply: FastifyReply): Promise<void> {
    sendPing(reply, this.swarmState(), true, await this.health.pingHealth());
  }

  @Get('version')
  @Header('Content-Type', 'application/json')
  version(): Record<string, unknown> {
    return presentVersion('swarmplane');
  }

  @Get('info')
  @Header('Content-Type', 'application/json')
  info(): Record<string, unknown> {
    return presentInfo(this.readModel.model, 0, this.lock.locked, this.tokenAge);
  }

  private swarmState(): string {
    const model = this.readModel.model;
    if (model.active && this.lock.locked) return 'locked';
    return model.active ? 'active/manager' : model.membership ? 'pending' : 'inactive';
  }
}
