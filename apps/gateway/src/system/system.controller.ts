import { API_VERSION, ENGINE_VERSION, GIT_COMMIT, MIN_API_VERSION } from '#engine-http';
import os from 'node:os';
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
    return {
      Platform: { Name: 'swarmplane' },
      Components: [
        {
          Name: 'Engine',
          Version: ENGINE_VERSION,
          Details: { ApiVersion: API_VERSION, MinAPIVersion: MIN_API_VERSION, GitCommit: GIT_COMMIT, GoVersion: `node${process.versions.node}`, Os: 'linux', Arch: goArch(), KernelVersion: os.release(), Experimental: 'false', BuildTime: '' },
        },
      ],
      Version: ENGINE_VERSION,
      ApiVersion: API_VERSION,
      MinAPIVersion: MIN_API_VERSION,
      GitCommit: GIT_COMMIT,
      GoVersion: `node${process.versions.node}`,
      Os: 'linux',
      Arch: goArch(),
      KernelVersion: os.release(),
      BuildTime: '',
    };
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

function goArch(): string {
  return os.arch() === 'x64' ? 'amd64' : os.arch();
}
